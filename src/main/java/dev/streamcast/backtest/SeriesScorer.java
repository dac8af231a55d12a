package dev.streamcast.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.model.WalkForwardEvaluation.Accuracy;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Scores one series from the topology's output as a consumer reads it: each forecast record becomes the
 * sensor's pending forecast, and the accuracy record that follows scores it against the actual reading, beside
 * the naive forecast (the last value of the pending forecast's window).
 */
final class SeriesScorer {

    private final String id;
    // The series' reading timestamps in replay order, to place an output record in the series.
    private final long[] timestamps;
    private final long scoredFrom;
    private final Accuracy accuracy = new Accuracy();
    // The model's own forecasts (published, or held back by the floor) on the readings it forecast.
    private final Accuracy modelAccuracy = new Accuracy();
    private final IntervalTally intervals;
    private final SpikeInjection spikes;
    private int spikesScored;
    private int spikesFlagged;
    private JsonNode pending;
    private int forecasts;
    private int scoredByModel;
    private int refused;
    private Double firstModelAt;

    /**
     * @param scoreFrom the fraction of the readings after which forecasts are scored
     * @param level     forecast.interval.level, for the naive forecast's interval width
     * @param spikes    the injected spikes, whose flagging is counted
     */
    SeriesScorer(String id, long[] timestamps, double scoreFrom, double level, SpikeInjection spikes) {
        this.id = id;
        this.timestamps = timestamps;
        this.intervals = new IntervalTally(level);
        this.spikes = spikes;
        // Readings from index floor(F * n) on are the scored part.
        this.scoredFrom = timestamps[Math.min(timestamps.length - 1, (int) Math.floor(scoreFrom * timestamps.length))];
    }

    void onForecast(JsonNode forecast) {
        forecasts++;
        pending = forecast;
        if (firstModelAt == null && isModel(forecast)) {
            // The forecast's timestamp is the reading it was made after: index + 1 readings had been seen.
            int index = Arrays.binarySearch(timestamps, timestampOf(forecast));
            firstModelAt = index < 0 ? null : (index + 1) / (double) timestamps.length;
        }
    }

    void onAccuracy(JsonNode record) {
        if (pending == null || timestampOf(record) < scoredFrom) {
            return;
        }
        JsonNode window = pending.path("window");
        double naive = window.path(window.size() - 1).asDouble();
        double actual = record.path("actual").asDouble();
        double forecast = record.path("forecast").asDouble();
        boolean anomaly = record.path("anomaly").asBoolean();
        if (spikes.isSpike(id, timestampOf(record))) {
            // A spike is not one of the series' readings: counted apart, not scored.
            spikesScored++;
            if (anomaly) {
                spikesFlagged++;
            }
            return;
        }
        accuracy.add(forecast, naive, actual);
        if (isModel(pending)) {
            scoredByModel++;
        }
        boolean floor = "floor".equals(pending.path("naiveReason").asText());
        if (isModel(pending) || floor) {
            modelAccuracy.add(floor ? record.path("modelForecast").asDouble() : forecast, naive, actual);
        }
        intervals.add(actual, naive, number(record, "lower"), number(record, "upper"), anomaly, floor);
    }

    private static double number(JsonNode record, String field) {
        JsonNode n = record.path(field);
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    void onRefused() {
        refused++;
    }

    BacktestReport.SeriesResult result() {
        return result(id, timestamps.length, refused, forecasts, accuracy, scoredByModel, firstModelAt, intervals,
                modelAccuracy, spikesScored, spikesFlagged);
    }

    IntervalTally intervals() {
        return intervals;
    }

    Accuracy modelAccuracy() {
        return modelAccuracy;
    }

    int spikesScored() {
        return spikesScored;
    }

    int spikesFlagged() {
        return spikesFlagged;
    }

    Accuracy accuracy() {
        return accuracy;
    }

    int scoredByModel() {
        return scoredByModel;
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

    /** A forecast from a trained model, whatever naive reason a naive one gives. */
    private static boolean isModel(JsonNode forecast) {
        return "lstm".equals(forecast.path("model").asText());
    }

    private static long timestampOf(JsonNode record) {
        return Instant.parse(record.path("timestamp").asText()).toEpochMilli();
    }
}
