package dev.streamcast.sensor;

import java.nio.ByteBuffer;

/**
 * A sensor's mean scaled absolute error at each step 1..H of its horizon (forecast.horizon &gt; 1), from which
 * {@link HorizonCalibration} widens its intervals with the step: a running mean over the first
 * {@value #READINGS} errors of a step, then an exponentially weighted one with that memory,
 * <pre>
 *   m_h &lt;- m_h + (min(r, CLIP m_h) - m_h) / min(n_h, READINGS)      (no clip for the first 10)
 * </pre>
 * (a spike's error, in every step that scores it, would otherwise inflate the means for a long while).
 * H doubles and counts in the sensor's state; nothing when H = 1.
 */
public final class StepErrorMeans {

    /** The memory of each step's mean, in scored errors. */
    static final int READINGS = 200;

    private final double[] means;
    private final int[] counts;

    StepErrorMeans(int horizon) {
        int steps = horizon > 1 ? horizon : 0;
        means = new double[steps];
        counts = new int[steps];
    }

    /** An error counts at most this many times its step's mean (once it has some), so one spike moves it little. */
    static final double CLIP = 5;

    /** Adds the scaled absolute error r of a step-{@code step} forecast. */
    void add(int step, double r) {
        if (step > means.length || !Double.isFinite(r)) {
            return;
        }
        int i = step - 1;
        double error = counts[i] >= 10 ? Math.min(r, CLIP * means[i]) : r;
        counts[i] = Math.min(counts[i] + 1, READINGS);
        means[i] += (error - means[i]) / counts[i];
    }

    /** How many errors step {@code step}'s mean has seen (at most {@value #READINGS}). */
    public int count(int step) {
        return counts[step - 1];
    }

    double mean(int step) {
        return means[step - 1];
    }

    public void clear() {
        java.util.Arrays.fill(means, 0);
        java.util.Arrays.fill(counts, 0);
    }

    int bytes() {
        return 4 + means.length * 12;
    }

    /** steps, then per step: mean, count. */
    void write(ByteBuffer buffer) {
        buffer.putInt(means.length);
        for (int i = 0; i < means.length; i++) {
            buffer.putDouble(means[i]).putInt(counts[i]);
        }
    }

    /** Reads what {@link #write} wrote; the steps both horizons have are kept. */
    void read(ByteBuffer buffer) {
        clear();
        int stored = buffer.getInt();
        for (int i = 0; i < stored; i++) {
            double mean = buffer.getDouble();
            int count = buffer.getInt();
            if (i < means.length) {
                means[i] = mean;
                counts[i] = count;
            }
        }
    }
}
