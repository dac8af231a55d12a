package dev.streamcast.stream;

/**
 * How much wider a forecast's interval is at step h of its horizon than at step 1 (forecast.horizon; see
 * {@link ErrorCalibration} for step 1).
 *
 * <p>With Q_h the {@code level} quantile of the scaled absolute errors r = |actual - forecast| / s of step h,
 * pooled over this stream task's sensors (the last {@value ErrorCalibration#POOLED_ERRORS} of each step; s the
 * sensor's running step size when the step is scored):
 * <pre>
 *   half-width_h = half-width_1 g_h,   g_1 = 1,   g_h = max(g_(h-1), Q_h / Q_1)
 * </pre>
 * The sensor's own calibration sets the width at step 1, the pooled errors of each step how it grows: a sensor's own
 * errors per step would cost its state H sets of {@value ErrorCalibration#SENSOR_ERRORS}, and how errors grow with
 * the step is much the same across the sensors of one model. g never falls with the step. While a step has fewer than
 * {@value ErrorCalibration#POOLED_MINIMUM} pooled errors (or step 1 has), g_h = sqrt(h): errors that add up like a
 * random walk's. Like the pooled step-1 set, these sets are the task's memory only and refill after a restart.
 *
 * <p>One instance serves one stream task (one thread).
 */
final class HorizonCalibration {

    private final double level;
    private final int horizon;
    // errors[h - 1]: ring of the pooled scaled errors of step h, oldest overwritten first.
    private final float[][] errors;
    private final int[] counts;
    private final int[] next;
    // The quantile of each step, recomputed after every few additions (cached[h - 1]; NaN: due).
    private final double[] quantiles;
    private final int[] addedSinceQuantile;
    private final double[] growth;
    private final float[] work = new float[ErrorCalibration.POOLED_ERRORS];

    HorizonCalibration(double level, int horizon) {
        this.level = level;
        this.horizon = horizon;
        // Step 1's set exists only to compare the others with: none are kept when there is no other step.
        int steps = horizon > 1 ? horizon : 0;
        errors = new float[steps][ErrorCalibration.POOLED_ERRORS];
        counts = new int[steps];
        next = new int[steps];
        quantiles = new double[steps];
        addedSinceQuantile = new int[steps];
        growth = new double[horizon + 1];
        java.util.Arrays.fill(quantiles, Double.NaN);
    }

    /** Adds the absolute error of a step-{@code step} forecast, divided by the sensor's scale. */
    void add(int step, double absoluteError, double scale) {
        if (horizon == 1 || step > horizon) {
            return;
        }
        int i = step - 1;
        errors[i][next[i]] = (float) Math.min(absoluteError / scale, Float.MAX_VALUE);
        next[i] = (next[i] + 1) % ErrorCalibration.POOLED_ERRORS;
        counts[i] = Math.min(counts[i] + 1, ErrorCalibration.POOLED_ERRORS);
        addedSinceQuantile[i]++;
    }

    /** g_h for h = 1..horizon, in {@code out[1..horizon]} ({@code out[0]} unused); recomputes the due quantiles. */
    double[] growth() {
        growth[1] = 1;
        double q1 = quantile(1);
        for (int h = 2; h <= horizon; h++) {
            double qh = quantile(h);
            double g = Double.isNaN(q1) || Double.isNaN(qh) || q1 <= 0 ? Math.sqrt(h) : qh / q1;
            growth[h] = Math.max(growth[h - 1], g);
        }
        return growth;
    }

    /** Q_h, NaN while step h has too few errors. */
    private double quantile(int step) {
        int i = step - 1;
        int n = counts[i];
        if (n < ErrorCalibration.POOLED_MINIMUM) {
            return Double.NaN;
        }
        if (Double.isNaN(quantiles[i]) || addedSinceQuantile[i] >= Math.max(1, n / 50)) {
            System.arraycopy(errors[i], 0, work, 0, n);
            quantiles[i] = ErrorCalibration.conformalQuantile(work, n, level);
            addedSinceQuantile[i] = 0;
        }
        return quantiles[i];
    }
}
