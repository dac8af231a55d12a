package dev.streamcast.sensor;

import dev.streamcast.model.LocalCorrection;
import dev.streamcast.model.SensorSeason;
import dev.streamcast.model.SensorStats;
import java.util.Arrays;

/**
 * What the stream keeps per sensor: the last readings (oldest first) with their timestamps; the forecast made
 * from them that the next reading will be scored against (its interval, which forecaster served it, and the
 * model's own forecast, scored even while the floor serves naive); the running step scale and the recent absolute
 * errors that calibrate its intervals ({@link ErrorCalibration}); the floor's error sums ({@link ForecastFloor});
 * the sensor's own correction of the network's forecasts ({@link LocalCorrection});
 * and a short history of scored readings (reading, forecast made for it, the naive forecast, model version,
 * interval, anomaly score) from which the ops API shows recent accuracy.
 *
 * <p>The parts with logic of their own are classes of their own ({@link PendingForecast}, {@link CalibrationErrors},
 * {@link ScoredHistory}, {@link StepErrorMeans}); its stored format is {@link SensorStateCodec}.
 */
public final class SensorState {

    /** Scale of the running step size: a memory of about this many steps. */
    // Long, as long as the calibration set: a scale estimated from few steps is noisy, and the noise widens the
    // intervals for the same coverage (a memory of 32 made them 10 % wider than the naive forecast's on temperatures).
    static final int STEP_SCALE_READINGS = 200;
    /** A step counts at most this many times the running step size, so one spike moves the scale little. */
    static final double STEP_SCALE_CLIP = 5;

    private final double[] values;

    // The season's offset at each window reading's time as it was when the reading arrived (SensorSeason), so that

    // each reading is adjusted by the profile before it learned from that reading: adjusted again after, the last

    // reading would be pulled towards the level by the profile's rate (a half-hourly load's one-step RMSE, 233 against

    // 150 for the same forecast made from the readings as they came).

    private final double[] offsets;
    private final long[] timestamps;
    private int count;
    private final PendingForecast pending;
    // The readings topic offset of the last accepted reading (-1: unknown). Readings that carry no timestamp of their
    // own share the record's, and a producer batch shares one millisecond: the offset tells a new reading from a
    // redelivered one where the timestamp cannot.
    private long lastOffset = -1;
    // The sensor's running statistics (model.SensorStats, kept here as primitives so the per-reading path does not
    // allocate): readings seen since the window last started, the running level and mean squared step.
    private long statsCount;
    private double level;
    private double meanSquaredStep;

    // Running step scale: exponentially weighted sum of absolute steps and of weights (see addStep).
    private double stepSum;
    private double stepWeight;

    // The floor's sums (see ForecastFloor).
    private double floorModelSquares;
    private double floorNaiveSquares;
    private int floorScored;
    private boolean floorEngaged;

    // The sensor's recent absolute errors (see ErrorCalibration).
    private final CalibrationErrors errors = new CalibrationErrors();
    private final ScoredHistory history;
    // The sensor's mean error at each step of its horizon (forecast.horizon > 1).
    private final StepErrorMeans stepErrors;
    // The sensor's usual interval between readings, ms: an exponentially weighted mean (0: none seen yet).
    private double meanIntervalMs;
    // The sensor's own correction of the network's forecast (model.LocalCorrection).
    private final LocalCorrection correction;
    // The grid step the sensor's readings lie on (see ReadingResolution).
    private final ReadingResolution resolution = new ReadingResolution();
    // The sensor's cadence and season (model.SensorSeason): offsets of 0 without a season.
    private final SensorSeason season;

    /** A state for forecasts one step ahead. */
    public SensorState(int windowLength, int historyLength) {
        this(windowLength, historyLength, 1);
    }

    public SensorState(int windowLength, int historyLength, int horizonSteps) {
        this(windowLength, historyLength, horizonSteps, SensorSeason.DEFAULT_MAX_BINS);
    }

    /** @param seasonMaxBins forecast.season.max-bins ({@link SensorSeason}); 0: no seasons */
    public SensorState(int windowLength, int historyLength, int horizonSteps, int seasonMaxBins) {
        season = new SensorSeason(seasonMaxBins);
        values = new double[windowLength];
        timestamps = new long[windowLength];
        offsets = new double[windowLength];
        history = new ScoredHistory(historyLength, resolution);
        pending = new PendingForecast(horizonSteps);
        stepErrors = new StepErrorMeans(horizonSteps);
        correction = new LocalCorrection(windowLength);
    }

    /** The sensor's cadence and season. */
    public SensorSeason season() {
        return season;
    }

    /** The sensor's own correction of the network's forecasts. */
    public LocalCorrection correction() {
        return correction;
    }

    public int windowLength() {
        return values.length;
    }

    public int count() {
        return count;
    }

    public boolean isFull() {
        return count == values.length;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public double lastValue() {
        return values[count - 1];
    }

    public long lastTimestamp() {
        return timestamps[count - 1];
    }

    /** The window's values, oldest first; only the first {@link #count()} are meaningful. */
    public double[] values() {
        return values;
    }

    public long[] timestamps() {
        return timestamps;
    }

    /** The season's offset at each window reading's time, as when it arrived; the first {@link #count()} count. */
    public double[] offsets() {
        return offsets;
    }

    /** The window's k-th reading with the season taken out, by the profile as it was when the reading arrived. */
    public double adjustedValue(int k) {
        return values[k] - offsets[k];
    }

    /** The last reading with the season taken out, by the profile as it was when it arrived. */
    public double lastAdjusted() {
        return adjustedValue(count - 1);
    }

    public long lastOffset() {
        return lastOffset;
    }

    public void setLastOffset(long offset) {
        lastOffset = offset;
    }

    /** The sensor's running level (SensorStats.level) after its last reading. */
    public double level() {
        return level;
    }

    /** The sensor's typical step (SensorStats.stepRms) after its last reading. */
    public double stepRms() {
        return Math.sqrt(meanSquaredStep);
    }

    /**
     * Folds a new reading into the running statistics (before it is appended to the window): the sensor's adjusted
     * reading ({@link SensorSeason}: the reading itself without a season) after the adjusted {@code last}.
     */
    void updateStats(double value, double last) {
        double q = SensorStats.nextMeanSquaredStep(statsCount, meanSquaredStep, last, value);
        level = SensorStats.nextLevel(statsCount, level, value);
        meanSquaredStep = q;
        statsCount++;
    }

    /** Whether (timestamp, value) is one of the readings in the window: a redelivered reading. */
    public boolean contains(long timestamp, double value) {
        for (int k = 0; k < count; k++) {
            if (timestamps[k] == timestamp && Double.compare(values[k], value) == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes an accepted reading into the sensor, after any forecast it resolves was scored: the step scale, the mean
     * interval and the running statistics (all of the series with the season taken out, by the profile the forecast
     * was made with), then the season and the resolution learn from it, and it enters the window.
     *
     * @param offset the reading's offset in the readings topic (-1: unknown)
     * @return whether the season in use changed (the statistics then continue from the series the new season sees,
     *         and the horizon's step means start over)
     */
    public boolean take(long timestamp, double value, long offset) {
        boolean hasPrevious = !isEmpty();
        double offsetNow = season.offset(timestamp);
        double adjustedValue = value - offsetNow;
        double lastAdjusted = hasPrevious ? lastAdjusted() : 0;
        if (hasPrevious) {
            addStep(adjustedValue - lastAdjusted);
            addInterval(timestamp - lastTimestamp());
        }
        updateStats(adjustedValue, lastAdjusted);
        boolean seasonChanged = season.observe(hasPrevious, hasPrevious ? lastTimestamp() : 0,
                hasPrevious ? lastValue() : 0, timestamp, value);
        if (seasonChanged) {
            double stepBefore = meanSquaredStep;
            rebaseStats(season.level(), season.adjustedMeanSquaredStep());
            // The calibration set's errors were made by forecasting the sensor another way (raw, or with another
            // cycle out): they are rescaled by how the typical step changed with it, as the season scored both, so
            // that the intervals do not keep the old way's width for the set's 200 readings (nottingham.temp's
            // were over-covered, 0.99, at every step of a year's horizon).
            if (stepBefore > 0 && meanSquaredStep > 0) {
                errors.multiply(Math.sqrt(meanSquaredStep / stepBefore));
            }
            // How errors grow with the step belongs to the way the steps are forecast, which the season changes
            // (carried in the adjusted series, not iterated in the raw one): the step means start over.
            stepErrors.clear();
        }
        resolution.observe(value);
        append(timestamp, value, offsetNow);
        if (seasonChanged) {
            rebaseWindowOffsets();
        }
        lastOffset = offset;
        return seasonChanged;
    }

    /** Appends a reading with the season's offset at its time now, dropping the oldest when the window is full. */
    public void append(long timestamp, double value) {
        append(timestamp, value, season.offset(timestamp));
    }

    /** Appends a reading and the season's offset it arrived with, dropping the oldest when the window is full. */
    public void append(long timestamp, double value, double offset) {
        if (count == values.length) {
            System.arraycopy(values, 1, values, 0, count - 1);
            System.arraycopy(timestamps, 1, timestamps, 0, count - 1);
            System.arraycopy(offsets, 1, offsets, 0, count - 1);
            count--;
        }
        values[count] = value;
        timestamps[count] = timestamp;
        offsets[count] = offset;
        count++;
    }

    /**
     * Takes the window's offsets from the season in use now: when it changes (the window's readings were adjusted by
     * another cycle's profile, or by none), and for a stored state that kept no offsets.
     */
    void rebaseWindowOffsets() {
        for (int k = 0; k < count; k++) {
            offsets[k] = season.offset(timestamps[k]);
        }
    }

    /** Forgets the window and its statistics, e.g. after a silence longer than window.max-gap; the history stays. */
    public void restart() {
        count = 0;
        pending.drop();
        correction.dropPending();
        resetStats();
    }

    /**
     * Puts the running statistics on a new footing when the season in use changes: the level and mean squared step
     * of the adjusted series as the season scored them (from raw readings to adjusted ones the step shrinks by the
     * season's share at once, instead of over {@link SensorStats#STEP_READINGS} readings).
     */
    void rebaseStats(double newLevel, double newMeanSquaredStep) {
        if (Double.isFinite(newLevel) && Double.isFinite(newMeanSquaredStep) && newMeanSquaredStep > 0) {
            level = newLevel;
            meanSquaredStep = newMeanSquaredStep;
        }
    }

    private void resetStats() {
        statsCount = 0;
        level = 0;
        meanSquaredStep = 0;
    }

    /** The forecast the next reading will be scored against, with the steps of the horizon still waiting. */
    public PendingForecast pending() {
        return pending;
    }

    /**
     * The sensor's running step size s: an exponentially weighted mean of its absolute steps, with a memory of about
     * {@link #STEP_SCALE_READINGS} steps; 0 before the first step.
     */
    public double stepScale() {
        return stepWeight == 0 ? 0 : stepSum / stepWeight;
    }

    /**
     * Adds the step from the last reading to the next:
     * <pre>
     *   S &lt;- (1 - a) S + min(|step|, c s),  W &lt;- (1 - a) W + 1,  s = S / W,
     *   a = 1 / STEP_SCALE_READINGS,  c = STEP_SCALE_CLIP
     * </pre>
     * (no clipping while s is 0). W makes the first steps count fully instead of starting from 0; the clip keeps one
     * spike from widening the scale by more than a few percent, while a lasting rise of the steps still moves it by a
     * factor of up to 1 + a (c - 1) per reading.
     */
    public void addStep(double step) {
        double size = Math.abs(step);
        if (!Double.isFinite(size)) {
            return;
        }
        double s = stepScale();
        if (s > 0) {
            size = Math.min(size, STEP_SCALE_CLIP * s);
        }
        double keep = 1 - 1.0 / STEP_SCALE_READINGS;
        stepSum = keep * stepSum + size;
        stepWeight = keep * stepWeight + 1;
    }

    double floorModelSquares() {
        return floorModelSquares;
    }

    double floorNaiveSquares() {
        return floorNaiveSquares;
    }

    int floorScored() {
        return floorScored;
    }

    /** Whether the floor serves this sensor the naive forecast. */
    public boolean floorEngaged() {
        return floorEngaged;
    }

    void setFloor(double modelSquares, double naiveSquares, int scored, boolean engaged) {
        floorModelSquares = modelSquares;
        floorNaiveSquares = naiveSquares;
        floorScored = scored;
        floorEngaged = engaged;
    }

    /** The sensor's calibration set. */
    CalibrationErrors errors() {
        return errors;
    }

    /** The sensor's mean error per step of the horizon. */
    public StepErrorMeans stepErrors() {
        return stepErrors;
    }

    /** Memory of the usual interval: about this many intervals. */
    static final int INTERVAL_READINGS = 20;

    /**
     * The sensor's usual interval between readings in ms, the horizon's time step: an exponentially weighted mean
     * of its intervals, m &lt;- m + (d - m) / {@value #INTERVAL_READINGS} (the first interval as it is); 0 before any.
     */
    public double meanIntervalMs() {
        return meanIntervalMs;
    }

    /** Adds the interval from the last reading to the next (call before appending the next). */
    void addInterval(long intervalMs) {
        meanIntervalMs = meanIntervalMs == 0 ? intervalMs : meanIntervalMs
                + (intervalMs - meanIntervalMs) / INTERVAL_READINGS;
    }

    /** The timestamp of step {@code step} of the forecast made from the current window. */
    public long stepTimestamp(int step) {
        return lastTimestamp() + Math.round(step * meanIntervalMs);
    }

    /** Records a scored reading in the history, dropping the oldest entry when full (no interval, no score). */
    public void addScored(long timestamp, double actual, double forecast, double naive, long modelVersion) {
        addScored(timestamp, actual, forecast, naive, modelVersion, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Records a scored reading in the history, dropping the oldest entry when full. */
    public void addScored(long timestamp, double actual, double forecast, double naive, long modelVersion,
                          double lower, double upper, double anomalyScore) {
        history.add(timestamp, actual, forecast, naive, modelVersion, lower, upper, anomalyScore);
    }

    /** The scored readings in the history, oldest first. */
    public ScoredHistory.Scored[] history() {
        return history.entries();
    }

    /** Rolling accuracy over the history: {model RMSE, model MAE, naive RMSE, naive MAE}; NaN when empty. */
    public double[] rollingErrors() {
        return history.rollingErrors();
    }

    /** The resolution the sensor's readings have shown. */
    public ReadingResolution resolution() {
        return resolution;
    }

    /**
     * The step of the grid the sensor's readings lie on, to which its intervals' bounds are drawn in; 0 while there
     * is none (fewer than {@value ReadingResolution#TRUSTED_READINGS} readings yet, or values on no grid).
     */
    public double resolutionStep() {
        return resolution.step();
    }

    /** Forgets everything: the state of a sensor never seen. */
    public void clear() {
        count = 0;
        pending.clear();
        lastOffset = -1;
        resetStats();
        stepSum = 0;
        stepWeight = 0;
        floorModelSquares = 0;
        floorNaiveSquares = 0;
        floorScored = 0;
        floorEngaged = false;
        errors.clear();
        history.clear();
        meanIntervalMs = 0;
        stepErrors.clear();
        correction.reset();
        resolution.clear();
        season.clear();
    }

    // What the stored format (SensorStateCodec) reads and writes beyond the accessors above.

    long statsCount() {
        return statsCount;
    }

    double meanSquaredStep() {
        return meanSquaredStep;
    }

    void restoreStats(long count, double storedLevel, double storedMeanSquaredStep) {
        statsCount = count;
        level = storedLevel;
        meanSquaredStep = storedMeanSquaredStep;
    }

    double stepSum() {
        return stepSum;
    }

    double stepWeight() {
        return stepWeight;
    }

    void restoreStepScale(double sum, double weight) {
        stepSum = sum;
        stepWeight = weight;
    }

    void restoreMeanIntervalMs(double intervalMs) {
        meanIntervalMs = intervalMs;
    }

    ScoredHistory scoredHistory() {
        return history;
    }

    @Override
    public String toString() {
        return "SensorState" + Arrays.toString(Arrays.copyOf(values, count));
    }
}
