package dev.streamcast.backtest;

import dev.streamcast.model.WalkForwardEvaluation.Accuracy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores one series from the topology's output as a consumer reads it, in whatever order the forecast and accuracy
 * records arrive: the in-process backtest hands them over reading by reading, a consumer of the live service's two
 * topics gets them interleaved as its fetches go. Each record is kept by the timestamp it carries (a forecast: the
 * last reading of its window; an accuracy record: the reading it scores), and an accuracy record at time t scores
 * the sensor's latest forecast before t, beside the naive forecast (the last value of that forecast's window):
 * exactly the forecast that was pending when the reading came, since a sensor's timestamps only rise.
 */
final class SeriesScorer {

    private final String id;
    // The series' reading timestamps in replay order, to place an output record in the series.
    private final long[] timestamps;
    private final long scoredFrom;
    // forecast.interval.level, for the naive forecast's interval width.
    private final double level;
    // The injected spikes (backtest --spikes): counted apart, never scored.
    private final SpikeInjection spikes;
    private final TreeMap<Long, Forecast> forecasts = new TreeMap<>();
    private final TreeMap<Long, Scored> scored = new TreeMap<>();
    private int duplicateForecasts;
    private int duplicateAccuracy;
    private int refused;

    /**
     * What scoring needs of a forecast record.
     *
     * @param byFloor served naive by the per-sensor floor ({@code "naiveReason":"floor"}): a model forecast held back
     */
    record Forecast(double naive, boolean byModel, boolean byFloor) {
    }

    /**
     * What scoring needs of an accuracy record.
     *
     * @param lower         the interval's bounds; NaN when the record has none
     * @param modelForecast the model's own forecast when the floor published the naive one; NaN otherwise
     */
    record Scored(double forecast, double actual, double lower, double upper, boolean anomaly, double modelForecast) {
    }

    /**
     * @param scoreFrom the fraction of the readings after which forecasts are scored
     * @param level     forecast.interval.level, for the naive forecast's interval width
     * @param spikes    the injected spikes, whose flagging is counted apart
     */
    SeriesScorer(String id, long[] timestamps, double scoreFrom, double level, SpikeInjection spikes) {
        this.id = id;
        this.timestamps = timestamps;
        this.level = level;
        this.spikes = spikes;
        // Readings from index floor(F * n) on are the scored part.
        this.scoredFrom = timestamps[Math.min(timestamps.length - 1, (int) Math.floor(scoreFrom * timestamps.length))];
    }

    /** A forecast made after the reading at {@code timestamp}; its naive value is the last value of its window. */
    void onForecast(long timestamp, Forecast forecast) {
        // A second forecast for the same reading (a duplicate a consumer saw) is counted, never scored.
        if (forecasts.putIfAbsent(timestamp, forecast) != null) {
            duplicateForecasts++;
        }
    }

    /** The accuracy record of the reading at {@code timestamp}. */
    void onAccuracy(long timestamp, Scored record) {
        if (scored.putIfAbsent(timestamp, record) != null) {
            duplicateAccuracy++;
        }
    }

    void onRefused() {
        refused++;
    }

    String id() {
        return id;
    }

    int readings() {
        return timestamps.length;
    }

    /** Of the readings that must have a forecast and an accuracy record, how many have none yet. */
    ForecastScoring.Completeness completeness(EligibleReadings eligible) {
        return new ForecastScoring.Completeness(missing(eligible.forecasts(), forecasts),
                missing(eligible.accuracy(), scored), duplicateForecasts, duplicateAccuracy);
    }

    private static int missing(long[] expected, Map<Long, ?> received) {
        int missing = 0;
        for (long t : expected) {
            if (!received.containsKey(t)) {
                missing++;
            }
        }
        return missing;
    }

    long[] timestamps() {
        return timestamps;
    }

    /**
     * The series' figures, with what is behind them (the overall row pools them).
     *
     * @param modelAccuracy the model's own forecasts (published, or held back by the floor) on the readings it
     *                      forecast
     * @param spikes        injected spikes scored (not among the scored readings); {@code spikesFlagged} of them
     *                      flagged as anomalies
     */
    record Score(BacktestReport.SeriesResult result, Accuracy accuracy, int scoredByModel, IntervalTally intervals,
                 Accuracy modelAccuracy, int spikes, int spikesFlagged) {
    }

    Score score() {
        Accuracy accuracy = new Accuracy();
        Accuracy modelAccuracy = new Accuracy();
        IntervalTally intervals = new IntervalTally(level);
        int scoredByModel = 0;
        int spikesScored = 0;
        int spikesFlagged = 0;
        for (Map.Entry<Long, Scored> e : scored.tailMap(scoredFrom, true).entrySet()) {
            Map.Entry<Long, Forecast> pending = forecasts.lowerEntry(e.getKey());
            if (pending == null) {
                continue;
            }
            Scored record = e.getValue();
            Forecast forecast = pending.getValue();
            if (spikes.isSpike(id, e.getKey())) {
                // A spike is not one of the series' readings: counted apart, not scored.
                spikesScored++;
                if (record.anomaly()) {
                    spikesFlagged++;
                }
                continue;
            }
            accuracy.add(record.forecast(), forecast.naive(), record.actual());
            if (forecast.byModel()) {
                scoredByModel++;
            }
            if (forecast.byModel() || (forecast.byFloor() && Double.isFinite(record.modelForecast()))) {
                modelAccuracy.add(forecast.byModel() ? record.forecast() : record.modelForecast(), forecast.naive(),
                        record.actual());
            }
            intervals.add(record.actual(), forecast.naive(), record.lower(), record.upper(), record.anomaly(),
                    forecast.byFloor());
        }
        return new Score(result(id, timestamps.length, refused, forecasts.size(), accuracy, scoredByModel,
                firstModelAt(), intervals, modelAccuracy, spikesScored, spikesFlagged), accuracy, scoredByModel,
                intervals, modelAccuracy, spikesScored, spikesFlagged);
    }

    /** The fraction of the series' readings seen when its first trained-model forecast was made; null if none was. */
    private Double firstModelAt() {
        for (Map.Entry<Long, Forecast> e : forecasts.entrySet()) {
            if (e.getValue().byModel()) {
                // The forecast's timestamp is the reading it was made after: index + 1 readings had been seen.
                int index = Arrays.binarySearch(timestamps, e.getKey());
                return index < 0 ? null : (index + 1) / (double) timestamps.length;
            }
        }
        return null;
    }

    static BacktestReport.SeriesResult result(String id, int readings, int refused, int forecasts, Accuracy accuracy,
                                              int scoredByModel, Double firstModelAt, IntervalTally intervals,
                                              Accuracy modelAccuracy, int spikes, int spikesFlagged) {
        long n = accuracy.count();
        Double skill = finite(n, accuracy.skill());
        // One step ahead only (forecast.horizon = 1): the series' own skill and coverage.
        List<BacktestReport.StepResult> steps = List.of(new BacktestReport.StepResult(1, (int) n, skill,
                intervals.coverage()));
        return new BacktestReport.SeriesResult(id, readings, refused, forecasts, (int) n,
                n == 0 ? null : scoredByModel / (double) n, firstModelAt, finite(n, accuracy.rmse()),
                finite(n, accuracy.mae()), finite(n, accuracy.naiveRmse()), skill, intervals.coverage(),
                intervals.meanWidth(), intervals.naiveWidth(), intervals.anomalyRate(), intervals.anomalies(),
                intervals.floorShare(), finite(modelAccuracy.count(), modelAccuracy.skill()), spikes,
                spikes == 0 ? null : spikesFlagged / (double) spikes, steps);
    }

    private static Double finite(long count, double value) {
        return count == 0 || !Double.isFinite(value) ? null : value;
    }
}
