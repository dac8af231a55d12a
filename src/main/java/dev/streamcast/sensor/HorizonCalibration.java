package dev.streamcast.sensor;

/**
 * How much wider a forecast's interval is at step h of its horizon than at step 1 (forecast.horizon; see
 * {@link ErrorCalibration} for step 1).
 *
 * <p>With r = |actual - forecast| / s the scaled absolute error of a step (s the sensor's running step size when the
 * step is scored):
 * <pre>
 *   half-width_h = half-width_1 g_h,   g_1 = 1
 *   g_h = max(1, m_h / m_1)         the sensor's own mean r of step h over step 1's ({@link StepErrorMeans}),
 *                                   once both have {@value #SENSOR_MINIMUM} errors;
 *   g_h = max(g_(h-1), G_h)         before that, with
 *   G_h = Q_h / Q_1                  the {@code level} quantiles of r of each step pooled over this
 *                                   stream task's sensors (the last {@value ErrorCalibration#POOLED_ERRORS} of each),
 *                                   once both have {@value ErrorCalibration#POOLED_MINIMUM};
 *   G_h = sqrt(h)                   before any: errors that add up like a random walk's.
 * </pre>
 * The sensor's own calibration sets the width at step 1 and its mean errors how it grows: how errors grow with the
 * step differs between sensors (pooled over the public series, later steps were under-covered on temperatures and
 * over-covered on wind and precipitation), and a ratio of means needs two numbers per step in the state where
 * quantiles would need a set of errors each. g never falls below 1 (step 1's width), and while it comes from the
 * pooled sets or sqrt(h) never falls with the step; a sensor's own means may fall (a forecast drawn back to the
 * season's level errs no more twelve months ahead than two). Like the pooled step-1 set, the pooled
 * sets are the task's memory only and refill after a restart.
 *
 * <p>One instance serves one stream task (one thread).
 */
final class HorizonCalibration {

    /** Errors of both steps a sensor's own ratio needs. */
    static final int SENSOR_MINIMUM = 50;

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

    public HorizonCalibration(double level, int horizon) {
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

    /** Adds the absolute error of a step-{@code step} forecast of the sensor, divided by its scale. */
    public void add(SensorState state, int step, double absoluteError, double scale) {
        if (horizon == 1 || step > horizon) {
            return;
        }
        int i = step - 1;
        float r = (float) Math.min(absoluteError / scale, Float.MAX_VALUE);
        state.stepErrors().add(step, r);
        errors[i][next[i]] = r;
        next[i] = (next[i] + 1) % ErrorCalibration.POOLED_ERRORS;
        counts[i] = Math.min(counts[i] + 1, ErrorCalibration.POOLED_ERRORS);
        addedSinceQuantile[i]++;
    }

    /**
     * g_h of the sensor for h = 1..horizon, in {@code out[1..horizon]} ({@code out[0]} unused); recomputes the due
     * pooled quantiles.
     */
    public double[] growth(SensorState state) {
        StepErrorMeans own = state.stepErrors();
        boolean ownFirst = own.count(1) >= SENSOR_MINIMUM && own.mean(1) > 0;
        growth[1] = 1;
        double q1 = Double.NaN;
        for (int h = 2; h <= horizon; h++) {
            if (ownFirst && own.count(h) >= SENSOR_MINIMUM) {
                // The sensor's own errors, as they grow or do not, never below step 1's: a forecast drawn back to the
                // season's level (a month's temperature) errs no more at step 12 than at step 2, and a width kept
                // rising with the largest ratio of the steps before over-covered there (nottingham.temp: 0.975-0.983
                // at steps 6-12).
                growth[h] = Math.max(1, own.mean(h) / own.mean(1));
                continue;
            }
            if (Double.isNaN(q1)) {
                q1 = quantile(1);
            }
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
