package dev.streamcast.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.model.WalkForwardEvaluation.Accuracy;
import java.time.Instant;
import java.util.Arrays;

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
    private JsonNode pending;
    private int forecasts;
    private int scoredByModel;
    private int refused;
    private Double firstModelAt;

    /** @param scoreFrom the fraction of the readings after which forecasts are scored */
    SeriesScorer(String id, long[] timestamps, double scoreFrom) {
        this.id = id;
        this.timestamps = timestamps;
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
        accuracy.add(record.path("forecast").asDouble(), naive, record.path("actual").asDouble());
        if (isModel(pending)) {
            scoredByModel++;
        }
    }

    void onRefused() {
        refused++;
    }

    BacktestReport.SeriesResult result() {
        return result(id, timestamps.length, refused, forecasts, accuracy, scoredByModel, firstModelAt);
    }

    Accuracy accuracy() {
        return accuracy;
    }

    int scoredByModel() {
        return scoredByModel;
    }

    static BacktestReport.SeriesResult result(String id, int readings, int refused, int forecasts, Accuracy accuracy,
                                              int scoredByModel, Double firstModelAt) {
        long n = accuracy.count();
        return new BacktestReport.SeriesResult(id, readings, refused, forecasts, (int) n,
                n == 0 ? null : scoredByModel / (double) n, firstModelAt, finite(n, accuracy.rmse()),
                finite(n, accuracy.mae()), finite(n, accuracy.naiveRmse()), finite(n, accuracy.skill()));
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
