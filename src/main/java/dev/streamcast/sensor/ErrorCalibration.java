package dev.streamcast.sensor;

/**
 * Prediction intervals and anomaly scores, calibrated online from the one-step errors the stream scores
 * (split conformal prediction over a rolling set of recent absolute errors).
 *
 * <p>With C the calibration set (n absolute errors e = |actual - forecast|) and e the error being scored:
 * <pre>
 *   interval        forecast -/+ q,   q = the ceil(level (n + 1))-th smallest e in C (the largest if n is smaller)
 *   anomaly score   #{c in C : c &lt; e} / (n + 1)     (1 - the conformal p-value of e)
 * </pre>
 * so that, while errors are exchangeable, the interval covers the next reading with probability about
 * {@code level}, and a score of at least 0.99 marks an error larger than all but about 1 % of the set.
 *
 * <p>Which set C is, for each forecast: the sensor's own last {@value CalibrationErrors#SENSOR_ERRORS} errors, in its
 * own units, once it has {@value #SENSOR_MINIMUM}; before that, the errors pooled over every sensor of this stream task
 * (the last {@value #POOLED_ERRORS}; in global scope these are all sensors of the model on the task's partition) once
 * there are {@value #POOLED_MINIMUM}; while there are fewer anywhere, the window's own steps, as if errors were normal
 * with the RMS of the window's steps as their standard deviation (half-width z s_w, z the normal quantile of
 * (1 + level) / 2; score 2 Phi(|e| / s_w) - 1). Sensors differ in scale, so the pooled set holds each error divided
 * by its sensor's running step size s ({@link SensorState#stepScale()}, as at the forecast), r = e / s, and its
 * quantile is multiplied back by the young sensor's own s. The sensor's own set is not divided: over the public
 * series that step size told little about the next error, and dividing by it made the intervals 1-4 % wider on nine
 * of ten series for the same coverage (the same forecasts replayed); the rolling set follows a lasting change of the
 * errors about as fast (docs/design.md, Prediction intervals). The sensor's set is part of its state
 * (changelogged, so it moves with its partition); the pooled set is the task's memory only, neither shared between
 * tasks or instances nor kept over a restart or rebalance: it refills from the next scored errors, meanwhile young
 * sensors use the window's steps.
 *
 * <p>The sensor's quantile q is recomputed every {@value CalibrationErrors#QUANTILE_EVERY} scored errors rather than
 * per forecast ({@link CalibrationErrors}).
 *
 * <p>An anomalous error e (score at or above {@code anomaly.level}) enters each set shrunk towards a ceiling c:
 * <pre>
 *   entered = e               when e &lt;= c
 *           = c + w (e - c)   above it,    c = max(t, k m)
 * </pre>
 * with w = {@value #ANOMALY_WEIGHT} and k = {@value #ANOMALY_MEDIANS},
 * t the set's anomaly threshold (the ceil(anomalyLevel (n + 1))-th smallest) and m its median. As it is, a spike (and
 * the reading after it, forecast from a window holding it) would stay in the set for its
 * {@value CalibrationErrors#SENSOR_ERRORS} readings and hide the next spikes of its size; left out, or entered as t,
 * the set could never hold anything above its threshold again, so the threshold could only ever fall and flag more and
 * more (measured: 2 to 11 % of the public series' readings at 0.99). Shrunk towards t alone, every flagged error
 * lowered the set's top, so about 1.8 % of the public series' readings were flagged at 0.99. The median's multiple lets
 * an error of the set's own tail in as it is (for normal errors, 6 medians is 4 standard deviations, while their 0.99
 * quantile is 2.6), so the flagged share stays near 1 - anomalyLevel (1.2-1.3 % over four training seeds), while a
 * spike, many medians out, is still shrunk to a few medians: a handful of spikes cannot move the median, so spikes 20
 * readings apart are all still flagged.
 *
 * <p>One instance serves one stream task (one thread): the pooled set and the work buffer are not shared.
 */
final class ErrorCalibration {

    static final int SENSOR_MINIMUM = 100;
    static final int POOLED_ERRORS = 1000;
    static final int POOLED_MINIMUM = 20;
    /**
     * How much of an anomalous error's excess over the ceiling enters the sets (chosen with the ceiling at t alone:
     * 0.1 flagged 2.2 % of the public series' readings, 0.2 1.8 % with every injected spike caught, 0.25 1.7 % but
     * missed one of 80).
     */
    static final double ANOMALY_WEIGHT = 0.2;
    /**
     * The ceiling's multiple of the set's median error. On the public series by backtest (the share flagged without
     * spikes, and the spikes caught with {@code --spikes 8}): 4 flagged 1.8 % pooled (training seed 0), as t alone;
     * 6 1.2-1.3 % with all 80 spikes caught under training seeds 0-3, and with the spikes 20 readings apart; 8 1.2 %
     * but missed one spike of 80 under one seed.
     */
    static final double ANOMALY_MEDIANS = 6;
    /** The scale below which a sensor counts as flat: errors are divided by at least this much of its level. */
    private static final double FLAT_SCALE = 1e-9;

    private final double level;
    private final double anomalyLevel;
    private final double windowZ;
    private final float[] pooled = new float[POOLED_ERRORS];
    private int pooledCount;
    private int pooledNext;
    // The pooled set's quantile, recomputed after every few additions rather than per forecast.
    private double pooledQuantile = Double.NaN;
    private int pooledAddedSinceQuantile;
    private final float[] work = new float[Math.max(CalibrationErrors.SENSOR_ERRORS, POOLED_ERRORS)];

    /**
     * @param level        the intervals' coverage, forecast.interval.level, in (0, 1)
     * @param anomalyLevel anomaly.level, in (0, 1): the score from which a reading is an anomaly
     */
    public ErrorCalibration(double level, double anomalyLevel) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("forecast.interval.level: expected a fraction in (0, 1), got " + level);
        }
        if (!(anomalyLevel > 0 && anomalyLevel < 1)) {
            throw new IllegalArgumentException("anomaly.level: expected a fraction in (0, 1), got " + anomalyLevel);
        }
        this.level = level;
        this.anomalyLevel = anomalyLevel;
        this.windowZ = NormalDistribution.quantile((1 + level) / 2);
    }

    /**
     * The scale a sensor's errors are divided by in the pooled set: its step size, or a tiny share of its level when
     * flat.
     */
    public static double scale(SensorState state) {
        double s = state.stepScale();
        double floor = FLAT_SCALE * Math.max(1, Math.abs(state.isEmpty() ? 0 : state.lastValue()));
        return Math.max(s, floor);
    }

    /** Half the width of the interval of the sensor's next forecast, made from its current window. */
    public double halfWidth(SensorState state) {
        CalibrationErrors own = state.errors();
        if (own.count() >= SENSOR_MINIMUM) {
            float q = own.cachedQuantile();
            if (Float.isNaN(q)) {
                q = (float) own.quantile(level);
                own.setCachedQuantile(q);
            }
            return q;
        }
        if (pooledCount >= POOLED_MINIMUM) {
            if (Double.isNaN(pooledQuantile) || pooledAddedSinceQuantile >= Math.max(1, pooledCount / 50)) {
                System.arraycopy(pooled, 0, work, 0, pooledCount);
                pooledQuantile = conformalQuantile(work, pooledCount, level);
                pooledAddedSinceQuantile = 0;
            }
            return pooledQuantile * scale(state);
        }
        return windowZ * windowStepRms(state);
    }

    /**
     * The anomaly score of the absolute error of the sensor's pending forecast: call before the window takes the
     * reading (the window and scale the forecast was made from) and before {@link #add}.
     */
    public double anomalyScore(SensorState state, double absoluteError) {
        CalibrationErrors own = state.errors();
        if (own.count() >= SENSOR_MINIMUM) {
            return own.countBelow(absoluteError) / (own.count() + 1.0);
        }
        if (pooledCount >= POOLED_MINIMUM) {
            float r = scaled(absoluteError, scale(state));
            int below = 0;
            for (int k = 0; k < pooledCount; k++) {
                if (pooled[k] < r) {
                    below++;
                }
            }
            return below / (pooledCount + 1.0);
        }
        double rms = windowStepRms(state);
        if (rms == 0) {
            return absoluteError == 0 ? 0 : 1;
        }
        return 2 * NormalDistribution.cdf(absoluteError / rms) - 1;
    }

    /**
     * Adds the absolute error of the sensor's pending forecast to its set and, divided by its scale, to the pooled one,
     * shrunk towards each set's ceiling when anomalous. Call after {@link #anomalyScore}, before the window
     * takes the reading.
     */
    public void add(SensorState state, double absoluteError, boolean anomalous) {
        float own = (float) Math.min(absoluteError, Float.MAX_VALUE);
        float shared = scaled(absoluteError, scale(state));
        if (anomalous) {
            CalibrationErrors errors = state.errors();
            if (errors.count() > 0) {
                own = shrunk(own, ceiling(errors.quantile(anomalyLevel), errors.quantile(0.5)));
            }
            if (pooledCount > 0) {
                System.arraycopy(pooled, 0, work, 0, pooledCount);
                shared = shrunk(shared, ceiling(work, pooledCount));
            }
        }
        state.errors().add(own);
        pooled[pooledNext] = shared;
        pooledNext = (pooledNext + 1) % POOLED_ERRORS;
        pooledCount = Math.min(pooledCount + 1, POOLED_ERRORS);
        pooledAddedSinceQuantile++;
    }

    /** c = max(t, k m) of the set values[0..n): t its anomaly threshold, m its median; reorders values. */
    private double ceiling(float[] values, int n) {
        return ceiling(conformalQuantile(values, n, anomalyLevel), conformalQuantile(values, n, 0.5));
    }

    /** c = max(t, k m) of a set's anomaly threshold t and median m. */
    private static double ceiling(double threshold, double median) {
        return Math.max(threshold, ANOMALY_MEDIANS * median);
    }

    /** c + w (e - c) for an error e above the ceiling c. */
    private static float shrunk(float error, double ceiling) {
        return error <= ceiling ? error : (float) (ceiling + ANOMALY_WEIGHT * (error - ceiling));
    }

    private static float scaled(double absoluteError, double scale) {
        return (float) Math.min(absoluteError / scale, Float.MAX_VALUE);
    }

    /** The RMS of the window's steps; 0 for a window of one reading. */
    private static double windowStepRms(SensorState state) {
        double[] v = state.values();
        int steps = state.count() - 1;
        if (steps <= 0) {
            return 0;
        }
        double squares = 0;
        for (int k = 1; k <= steps; k++) {
            double d = v[k] - v[k - 1];
            squares += d * d;
        }
        return Math.sqrt(squares / steps);
    }

    /** The ceil(level (n + 1))-th smallest of values[0..n), the largest when that rank passes n; reorders values. */
    static double conformalQuantile(float[] values, int n, double level) {
        int rank = (int) Math.ceil(level * (n + 1));
        return select(values, n, Math.min(rank, n) - 1);
    }

    /** The k-th smallest (from 0) of values[0..n), by quickselect (Hoare partition); reorders values. */
    private static float select(float[] values, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            float pivot = values[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (values[i] < pivot) {
                    i++;
                }
                while (values[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = values[i];
                    values[i] = values[j];
                    values[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return values[k];
            }
        }
        return values[k];
    }
}
