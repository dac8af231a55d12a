package dev.streamcast.backtest;

import dev.streamcast.model.WalkForwardEvaluation.Accuracy;
import java.util.Arrays;
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
    private final TreeMap<Long, Forecast> forecasts = new TreeMap<>();
    private final TreeMap<Long, Scored> scored = new TreeMap<>();
    private int duplicateForecasts;
    private int duplicateAccuracy;
    private int refused;

    /** What scoring needs of a forecast record. */
    private record Forecast(double naive, boolean byModel) {
    }

    /** What scoring needs of an accuracy record. */
    private record Scored(double forecast, double actual) {
    }

    /** @param scoreFrom the fraction of the readings after which forecasts are scored */
    SeriesScorer(String id, long[] timestamps, double scoreFrom) {
        this.id = id;
        this.timestamps = timestamps;
        // Readings from index floor(F * n) on are the scored part.
        this.scoredFrom = timestamps[Math.min(timestamps.length - 1, (int) Math.floor(scoreFrom * timestamps.length))];
    }

    /**
     * A forecast made after the reading at {@code timestamp}.
     *
     * @param naive   the last value of its window
     * @param byModel served by a trained model ({@code "model":"lstm"})
     */
    void onForecast(long timestamp, double naive, boolean byModel) {
        // A second forecast for the same reading (a duplicate a consumer saw) is counted, never scored.
        if (forecasts.putIfAbsent(timestamp, new Forecast(naive, byModel)) != null) {
            duplicateForecasts++;
        }
    }

    /** The accuracy record of the reading at {@code timestamp}: the forecast it scores and the actual value. */
    void onAccuracy(long timestamp, double forecast, double actual) {
        if (scored.putIfAbsent(timestamp, new Scored(forecast, actual)) != null) {
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

    /** The series' figures, with the scored forecasts behind them (the overall row pools them). */
    record Score(BacktestReport.SeriesResult result, Accuracy accuracy, int scoredByModel) {
    }

    Score score() {
        Accuracy accuracy = new Accuracy();
        int scoredByModel = 0;
        for (Map.Entry<Long, Scored> e : scored.tailMap(scoredFrom, true).entrySet()) {
            Map.Entry<Long, Forecast> pending = forecasts.lowerEntry(e.getKey());
            if (pending == null) {
                continue;
            }
            accuracy.add(e.getValue().forecast(), pending.getValue().naive(), e.getValue().actual());
            if (pending.getValue().byModel()) {
                scoredByModel++;
            }
        }
        return new Score(result(id, timestamps.length, refused, forecasts.size(), accuracy, scoredByModel,
                firstModelAt()), accuracy, scoredByModel);
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
                                              int scoredByModel, Double firstModelAt) {
        long n = accuracy.count();
        return new BacktestReport.SeriesResult(id, readings, refused, forecasts, (int) n,
                n == 0 ? null : scoredByModel / (double) n, firstModelAt, finite(n, accuracy.rmse()),
                finite(n, accuracy.mae()), finite(n, accuracy.naiveRmse()), finite(n, accuracy.skill()));
    }

    private static Double finite(long count, double value) {
        return count == 0 || !Double.isFinite(value) ? null : value;
    }
}
