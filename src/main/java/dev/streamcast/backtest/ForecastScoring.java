package dev.streamcast.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.model.WalkForwardEvaluation.Accuracy;
import dev.streamcast.wire.AccuracyMessage;
import dev.streamcast.wire.ForecastMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores the forecasts published for the series of a history, per series and overall, into a
 * {@link BacktestReport}: the one scoring of Streamcast, whether the records come from the in-process backtest
 * ({@link Backtest}) or are read back from a live service's topics ({@link ServiceOutputsReader}). Records are
 * taken as a consumer reads them (the JSON values of the forecasts and accuracy topics), in any order.
 */
public final class ForecastScoring {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final double scoreFrom;
    private final double level;
    private final int readings;
    // A scorer per series, in order of first appearance in the file.
    private final Map<String, SeriesScorer> series = new LinkedHashMap<>();

    /**
     * Scoring of forecasts for readings as they are, without injected spikes ({@code streamcast score}).
     *
     * @param readings  the history, in file order (each series is placed by its readings in timestamp order)
     * @param scoreFrom forecasts of readings from this fraction of each series on are scored, in [0, 1)
     * @param level     forecast.interval.level: the naive forecast's interval width is its level-quantile
     */
    public ForecastScoring(List<SensorReading> readings, double scoreFrom, double level) {
        this(readings, scoreFrom, level, SpikeInjection.none(readings));
    }

    /**
     * @param spikes the spikes injected into {@code readings} ({@code readings} holds them): their accuracy records
     *               are counted apart (spikes, spikeRecall), never scored
     */
    ForecastScoring(List<SensorReading> readings, double scoreFrom, double level, SpikeInjection spikes) {
        if (!(scoreFrom >= 0 && scoreFrom < 1)) {
            throw new IllegalArgumentException("scoreFrom: expected a fraction in [0, 1), got " + scoreFrom);
        }
        if (readings.isEmpty()) {
            throw new IllegalArgumentException("no readings to score");
        }
        this.scoreFrom = scoreFrom;
        this.level = level;
        this.readings = readings.size();
        Map<String, List<Long>> timestamps = new LinkedHashMap<>();
        for (SensorReading r : readings) {
            timestamps.computeIfAbsent(r.sensorId(), k -> new ArrayList<>());
        }
        for (SensorReading r : SensorReading.inTimestampOrder(readings)) {
            timestamps.get(r.sensorId()).add(r.timestamp());
        }
        timestamps.forEach((id, list) -> series.put(id,
                new SeriesScorer(id, list.stream().mapToLong(Long::longValue).toArray(), scoreFrom, level, spikes)));
    }

    /** Whether the sensor is one of the history's series. */
    public boolean covers(String sensorId) {
        return series.containsKey(sensorId);
    }

    public List<String> sensorIds() {
        return List.copyOf(series.keySet());
    }

    /** A record of the forecasts topic, as published: {@code {"timestamp","window":[..],"model","naiveReason",..}}. */
    public void onForecast(String sensorId, String json) {
        ForecastMessage.Forecast forecast = ForecastMessage.read(parse(json));
        scorer(sensorId).onForecast(forecast.timestamp(), new SeriesScorer.Forecast(forecast.lastValue(),
                "lstm".equals(forecast.model()), "floor".equals(forecast.naiveReason())));
    }

    /**
     * A record of the accuracy topic, as published:
     * {@code {"timestamp","forecast","actual","step","lower","upper","anomaly","modelForecast",..}}; one per scored
     * horizon step (forecast.horizon), a record without "step" being step 1's.
     */
    public void onAccuracy(String sensorId, String json) {
        AccuracyMessage.Accuracy record = AccuracyMessage.read(parse(json));
        scorer(sensorId).onAccuracy(record.timestamp(), record.step(), new SeriesScorer.Scored(record.forecast(),
                record.actual(), record.lower(), record.upper(), record.anomaly(), record.modelForecast()));
    }

    /** A reading of the sensor went to the dead-letter topic. */
    public void onRefused(String sensorId) {
        scorer(sensorId).onRefused();
    }

    /** What is still missing, with the topology's window rules ({@code window.length}, {@code window.max-gap}). */
    public Completeness completeness(int windowLength, Duration maxGap) {
        Completeness total = new Completeness(0, 0, 0, 0);
        for (SeriesScorer s : series.values()) {
            total = total.plus(s.completeness(EligibleReadings.of(s.timestamps(), windowLength, maxGap)));
        }
        return total;
    }

    /** The per-series and overall figures so far, with the given retraining decisions. */
    public BacktestReport report(List<BacktestReport.Retraining> retrainings) {
        List<BacktestReport.SeriesResult> results = new ArrayList<>();
        Accuracy pooled = new Accuracy();
        Accuracy pooledModel = new Accuracy();
        IntervalTally pooledIntervals = new IntervalTally(level);
        SeriesScorer.StepTallies pooledSteps = new SeriesScorer.StepTallies(level);
        int spikes = 0;
        int spikesFlagged = 0;
        int refused = 0;
        int forecasts = 0;
        int scoredByModel = 0;
        Double latestFirstModel = 0.0;
        for (SeriesScorer scorer : series.values()) {
            SeriesScorer.Score score = scorer.score();
            BacktestReport.SeriesResult result = score.result();
            results.add(result);
            pooled.addAll(score.accuracy());
            pooledModel.addAll(score.modelAccuracy());
            pooledIntervals.addAll(score.intervals());
            pooledSteps.addAll(score.steps());
            spikes += score.spikes();
            spikesFlagged += score.spikesFlagged();
            refused += result.refused();
            forecasts += result.forecasts();
            scoredByModel += score.scoredByModel();
            latestFirstModel = latestFirstModel == null || result.firstModelAt() == null ? null
                    : Math.max(latestFirstModel, result.firstModelAt());
        }
        BacktestReport.SeriesResult overall = SeriesScorer.result("overall", readings, refused, forecasts, pooled,
                scoredByModel, latestFirstModel, pooledIntervals, pooledModel, spikes, spikesFlagged, pooledSteps);
        return new BacktestReport(scoreFrom, readings, results, overall, medianSkill(results), retrainings);
    }

    /** The median of the series' skills: the middle one, or the mean of the two middle ones. */
    static Double medianSkill(List<BacktestReport.SeriesResult> series) {
        double[] skills = series.stream().map(BacktestReport.SeriesResult::skill).filter(s -> s != null)
                .mapToDouble(Double::doubleValue).sorted().toArray();
        int n = skills.length;
        if (n == 0) {
            return null;
        }
        return n % 2 == 1 ? skills[n / 2] : (skills[n / 2 - 1] + skills[n / 2]) / 2;
    }

    private SeriesScorer scorer(String sensorId) {
        SeriesScorer scorer = series.get(sensorId);
        if (scorer == null) {
            throw new IllegalArgumentException("sensor '" + sensorId + "' is not in the scored history");
        }
        return scorer;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a published record that is not JSON: " + json, e);
        }
    }

}
