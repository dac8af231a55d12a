package dev.streamcast.backtest;

import dev.streamcast.model.WalkForwardEvaluation.Accuracy;
import java.util.ArrayList;
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
 *
 * <p>With forecast.horizon H > 1 a reading has one accuracy record per step k it scores (step k of the forecast made
 * k readings earlier). Every one-step figure uses the step-1 records alone (a record without "step" is step 1); a
 * record of step k >= 2 at time t is scored beside the naive forecast of its own forecast: the last value of the
 * window of the sensor's k-th latest forecast before t, the value carried k steps.
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
    // The step-1 accuracy records, and those of steps 2..H: laterSteps.get(k - 2) holds step k's.
    private final TreeMap<Long, Scored> scored = new TreeMap<>();
    private final List<TreeMap<Long, Scored>> laterSteps = new ArrayList<>();
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

    /** The accuracy record of horizon step {@code step} (from 1) for the reading at {@code timestamp}. */
    void onAccuracy(long timestamp, int step, Scored record) {
        if (step < 1) {
            throw new IllegalArgumentException("an accuracy record of step " + step + ": steps count from 1");
        }
        if (records(step).putIfAbsent(timestamp, record) != null) {
            duplicateAccuracy++;
        }
    }

    private TreeMap<Long, Scored> records(int step) {
        if (step == 1) {
            return scored;
        }
        while (laterSteps.size() < step - 1) {
            laterSteps.add(new TreeMap<>());
        }
        return laterSteps.get(step - 2);
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
    Completeness completeness(EligibleReadings eligible) {
        return new Completeness(missing(eligible.forecasts(), forecasts),
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
                 Accuracy modelAccuracy, int spikes, int spikesFlagged, StepTallies steps) {
    }

    /** Steps 2..H of a series' scored records (or of several series pooled): errors, naive errors and intervals. */
    static final class StepTallies {
        private final double level;
        // Index k - 2 for step k.
        private final List<Accuracy> accuracy = new ArrayList<>();
        private final List<IntervalTally> intervals = new ArrayList<>();

        StepTallies(double level) {
            this.level = level;
        }

        /** One scored record of step {@code step} >= 2; {@code naive} the value carried that many steps. */
        void add(int step, double forecast, double naive, double actual, double lower, double upper) {
            grow(step);
            accuracy.get(step - 2).add(forecast, naive, actual);
            intervals.get(step - 2).add(actual, naive, lower, upper, false, false);
        }

        void addAll(StepTallies other) {
            grow(other.accuracy.size() + 1);
            for (int i = 0; i < other.accuracy.size(); i++) {
                accuracy.get(i).addAll(other.accuracy.get(i));
                intervals.get(i).addAll(other.intervals.get(i));
            }
        }

        private void grow(int step) {
            while (accuracy.size() < step - 1) {
                accuracy.add(new Accuracy());
                intervals.add(new IntervalTally(level));
            }
        }

        /** Steps 2..H as results, after {@code first}: step 1's, from the series' one-step figures. */
        List<BacktestReport.StepResult> results(BacktestReport.StepResult first) {
            List<BacktestReport.StepResult> steps = new ArrayList<>();
            steps.add(first);
            for (int i = 0; i < accuracy.size(); i++) {
                steps.add(step(i + 2, accuracy.get(i), intervals.get(i)));
            }
            return steps;
        }
    }

    static BacktestReport.StepResult step(int step, Accuracy accuracy, IntervalTally intervals) {
        long n = accuracy.count();
        return new BacktestReport.StepResult(step, (int) n, finite(n, accuracy.rmse()), finite(n, accuracy.naiveRmse()),
                finite(n, accuracy.skill()), intervals.coverage(), intervals.meanWidth());
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
        StepTallies steps = scoreLaterSteps();
        return new Score(result(id, timestamps.length, refused, forecasts.size(), accuracy, scoredByModel,
                firstModelAt(), intervals, modelAccuracy, spikesScored, spikesFlagged, steps), accuracy, scoredByModel,
                intervals, modelAccuracy, spikesScored, spikesFlagged, steps);
    }

    /**
     * Steps 2..H over the scored part: step k's record at time t against the last value of the forecast made k
     * readings before t (the k-th latest forecast before t: every reading after a full window has one, and a window
     * that starts over drops the pending steps). Spikes are not scored, as at step 1.
     */
    private StepTallies scoreLaterSteps() {
        StepTallies steps = new StepTallies(level);
        // An entry for every step seen, scored or not.
        steps.grow(laterSteps.size() + 1);
        for (int k = 2; k <= laterSteps.size() + 1; k++) {
            for (Map.Entry<Long, Scored> e : laterSteps.get(k - 2).tailMap(scoredFrom, true).entrySet()) {
                Forecast origin = forecastBefore(e.getKey(), k);
                if (origin == null || spikes.isSpike(id, e.getKey())) {
                    continue;
                }
                Scored record = e.getValue();
                steps.add(k, record.forecast(), origin.naive(), record.actual(), record.lower(), record.upper());
            }
        }
        return steps;
    }

    /** The {@code k}-th latest forecast before {@code timestamp} (1: the pending one); null when there are fewer. */
    private Forecast forecastBefore(long timestamp, int k) {
        Map.Entry<Long, Forecast> entry = null;
        long before = timestamp;
        for (int i = 0; i < k; i++) {
            entry = forecasts.lowerEntry(before);
            if (entry == null) {
                return null;
            }
            before = entry.getKey();
        }
        return entry.getValue();
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
                                              Accuracy modelAccuracy, int spikes, int spikesFlagged,
                                              StepTallies later) {
        long n = accuracy.count();
        // Step 1 is the series' one-step figures themselves.
        List<BacktestReport.StepResult> steps = later.results(step(1, accuracy, intervals));
        return new BacktestReport.SeriesResult(id, readings, refused, forecasts, (int) n,
                n == 0 ? null : scoredByModel / (double) n, firstModelAt, finite(n, accuracy.rmse()),
                finite(n, accuracy.mae()), finite(n, accuracy.naiveRmse()), finite(n, accuracy.skill()),
                intervals.coverage(), intervals.meanWidth(), intervals.naiveWidth(), intervals.anomalyRate(),
                intervals.anomalies(), intervals.floorShare(), finite(modelAccuracy.count(), modelAccuracy.skill()),
                spikes, spikes == 0 ? null : spikesFlagged / (double) spikes, steps);
    }

    private static Double finite(long count, double value) {
        return count == 0 || !Double.isFinite(value) ? null : value;
    }
}
