package dev.streamcast.model;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A sensor's own linear correction of the shared network's forecast, learned online from the sensor's scored
 * readings: the global model gives what all sensors share, the correction what is this sensor's own (how strongly
 * its wind or rain returns to its level, the small autoregression left in its temperatures) from a handful of
 * weights that a few hundred readings pin down.
 *
 * <p>In the sensor's typical steps u ({@link Scaling#errorUnit}), with c the window's last value, f the network's
 * forecast and clip(v) = max(-6, min(6, v)), the features of a window x_1..x_L are
 * <pre>
 *   phi = [1, clip((x_1 - level) / u), .., clip((x_L - level) / u), clip(b)],      b = (f - c) / u
 *   corrected forecast = f + u k,      k = max(-1, min(1, w . phi))
 * </pre>
 * and when the reading y that the forecast was for arrives, w follows it by recursive least squares with
 * forgetting factor lambda = 1 - 1/N (N = {@code forecast.correction.readings}, the memory in readings):
 * <pre>
 *   r = clip((y - c) / u) - b                       (what the network missed, in typical steps)
 *   g = P phi / (lambda + phi' P phi)
 *   w = w + g (r - w . phi)
 *   P = (P - g (P phi)') / lambda,   then scaled down to trace(P_0) when above it
 * </pre>
 * starting from w = 0 (the network's forecast as it is) and P_0 = {@value #PRIOR_VARIANCE} I: a prior standard
 * deviation of about 0.07 per weight, so the first readings move the correction little.
 *
 * <p>Why the bounds: k is at most one typical step, so the correction can refine the network's forecast but never
 * replace it; and the trace cap stops the "wind-up" of forgetting least squares, where a sensor whose features stay
 * constant (a flat sensor, a dry spell) has P grow by 1/lambda per reading in the directions nothing excites, and the
 * first reading that does excite them then throws the weights far. With the cap the weights never move faster than
 * they did on the sensor's first readings. Anything not finite starts the correction over.
 *
 * <p>Measured by backtest on the ten public daily series (BENCHMARKS.md, Forecast quality), the skill over the last
 * value it adds: +0.015 to +0.037 on the four temperatures, +0.017 and +0.026 on wind, -0.001 and +0.016 on rain,
 * +0.013 and +0.007 on births; the median from +0.131 to +0.152. The prior variance is the largest of 0.001, 0.003,
 * 0.005 and 0.01 with which a young sensor with little to learn (a temperature's first year) did no worse than
 * without the correction. One instance per sensor state; it allocates nothing after construction.
 */
public final class LocalCorrection {

    /** The prior variance of each weight: P_0 = this times the identity. */
    static final double PRIOR_VARIANCE = 0.005;
    /** The clip on scaled inputs and targets, in typical steps, as the sensor scaling's. */
    static final double CLIP = Scaling.Sensor.DEFAULT_CLIP;
    /** The most the correction moves a forecast, in typical steps. */
    static final double MAX_CORRECTION = 1.0;

    private final int windowLength;
    private final int size;
    private final double[] weights;
    private final double[] covariance;
    // Scratch for phi and P phi: per instance, so the per-reading path allocates nothing.
    private final double[] phi;
    private final double[] pPhi;
    // The network's step b of the pending forecast, NaN when none waits (no model forecast, or the window restarted).
    private double pendingStep = Double.NaN;
    private long updates;

    public LocalCorrection(int windowLength) {
        this.windowLength = windowLength;
        size = windowLength + 2;
        weights = new double[size];
        covariance = new double[size * size];
        phi = new double[size];
        pPhi = new double[size];
        reset();
    }

    /**
     * The forgetting factor lambda = 1 - 1/N of a memory of N readings ({@code forecast.correction.readings}); 0, the
     * correction off, for N = 0, and also for N = 1, where each reading's weights would forget all before it.
     */
    public static double forgetting(int readings) {
        return readings <= 1 ? 0 : 1.0 - 1.0 / readings;
    }

    /** The bytes {@link #write} writes. */
    public int bytes() {
        return 4 + 8 + 8 + 8 * size + 8 * size * size;
    }

    /** Readings the correction has learned from since it last started. */
    public long updates() {
        return updates;
    }

    /** The weight of feature j (0: the constant, 1..L: the window, L + 1: the network's step). */
    public double weight(int j) {
        return weights[j];
    }

    /** As for a sensor never seen: w = 0, P = P_0, nothing pending. */
    public void reset() {
        Arrays.fill(weights, 0);
        Arrays.fill(covariance, 0);
        for (int j = 0; j < size; j++) {
            covariance[j * size + j] = PRIOR_VARIANCE;
        }
        pendingStep = Double.NaN;
        updates = 0;
    }

    /** No forecast waits for the next reading any more (the window started over). */
    public void dropPending() {
        pendingStep = Double.NaN;
    }

    /**
     * The corrected forecast of the window's next value, without remembering it (the later steps of a horizon).
     *
     * @param networkForecast the network's forecast f of the window, finite
     */
    public double corrected(double[] values, int offset, double level, double stepRms, double networkForecast) {
        double u = Scaling.errorUnit(values, offset, windowLength, stepRms);
        return correct(values, offset, level, u, (networkForecast - values[offset + windowLength - 1]) / u,
                networkForecast);
    }

    /**
     * {@link #corrected} of the forecast the sensor's next reading will be scored against, remembering the network's
     * step for {@link #learn}; a NaN {@code networkForecast} (no model forecast) remembers that there is none.
     */
    public double correctPending(double[] values, int offset, double level, double stepRms, double networkForecast) {
        if (!Double.isFinite(networkForecast)) {
            pendingStep = Double.NaN;
            return networkForecast;
        }
        double u = Scaling.errorUnit(values, offset, windowLength, stepRms);
        pendingStep = (networkForecast - values[offset + windowLength - 1]) / u;
        return correct(values, offset, level, u, pendingStep, networkForecast);
    }

    /** f + u k for the network's step b = (f - c) / u, in the window's typical step u. */
    private double correct(double[] values, int offset, double level, double u, double networkStep,
                           double networkForecast) {
        features(values, offset, level, u, networkStep);
        double k = Math.max(-MAX_CORRECTION, Math.min(MAX_CORRECTION, dot(weights, phi)));
        return networkForecast + u * k;
    }

    /**
     * Learns from the reading {@code actual} that the pending forecast was for. Call with the window and statistics
     * the forecast was made from (before the window takes the reading); does nothing without a pending model forecast.
     */
    public void learn(double[] values, int offset, double level, double stepRms, double actual, double lambda) {
        double b = pendingStep;
        pendingStep = Double.NaN;
        if (!Double.isFinite(b) || !Double.isFinite(actual)) {
            return;
        }
        double u = Scaling.errorUnit(values, offset, windowLength, stepRms);
        double c = values[offset + windowLength - 1];
        features(values, offset, level, u, b);
        double r = clip((actual - c) / u) - b;
        // P phi and phi' P phi
        double denominator = lambda;
        for (int i = 0; i < size; i++) {
            double s = 0;
            for (int j = 0; j < size; j++) {
                s += covariance[i * size + j] * phi[j];
            }
            pPhi[i] = s;
            denominator += phi[i] * s;
        }
        double error = r - dot(weights, phi);
        // w += g error, g = P phi / denominator; P = (P - g (P phi)') / lambda, kept symmetric
        double trace = 0;
        for (int i = 0; i < size; i++) {
            double gi = pPhi[i] / denominator;
            weights[i] += gi * error;
            for (int j = i; j < size; j++) {
                double p = (covariance[i * size + j] - gi * pPhi[j]) / lambda;
                covariance[i * size + j] = p;
                covariance[j * size + i] = p;
            }
            trace += covariance[i * size + i];
        }
        double cap = PRIOR_VARIANCE * size;
        if (trace > cap) {
            double shrink = cap / trace;
            for (int k = 0; k < covariance.length; k++) {
                covariance[k] *= shrink;
            }
        }
        updates++;
        if (!Double.isFinite(trace) || !Double.isFinite(dot(weights, weights))) {
            reset();
        }
    }

    private void features(double[] values, int offset, double level, double u, double networkStep) {
        phi[0] = 1.0;
        for (int t = 0; t < windowLength; t++) {
            phi[1 + t] = clip((values[offset + t] - level) / u);
        }
        phi[size - 1] = clip(networkStep);
    }

    private static double clip(double v) {
        return Math.max(-CLIP, Math.min(CLIP, v));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Size, updates, pending step, w, P (row-major). */
    public void write(ByteBuffer buffer) {
        buffer.putInt(size).putLong(updates).putDouble(pendingStep);
        for (double w : weights) {
            buffer.putDouble(w);
        }
        for (double p : covariance) {
            buffer.putDouble(p);
        }
    }

    /**
     * As {@link #write}, with only the covariance's upper triangle, row by row: {@link #learn} keeps it exactly
     * symmetric, so the lower one is the same numbers (the sensor state's format 10, issue 27).
     */
    public void writeCompact(ByteBuffer buffer) {
        buffer.putInt(size).putLong(updates).putDouble(pendingStep);
        for (double w : weights) {
            buffer.putDouble(w);
        }
        for (int i = 0; i < size; i++) {
            for (int j = i; j < size; j++) {
                buffer.putDouble(covariance[i * size + j]);
            }
        }
    }

    /** Reads what {@link #writeCompact} wrote; one written for another window length starts over. */
    public void readCompact(ByteBuffer buffer) {
        int stored = buffer.getInt();
        long storedUpdates = buffer.getLong();
        double storedPending = buffer.getDouble();
        if (stored != size) {
            buffer.position(buffer.position() + 8 * (stored + stored * (stored + 1) / 2));
            reset();
            return;
        }
        for (int j = 0; j < size; j++) {
            weights[j] = buffer.getDouble();
        }
        for (int i = 0; i < size; i++) {
            for (int j = i; j < size; j++) {
                double p = buffer.getDouble();
                covariance[i * size + j] = p;
                covariance[j * size + i] = p;
            }
        }
        updates = storedUpdates;
        pendingStep = storedPending;
    }

    /** Reads what {@link #write} wrote; one written for another window length starts over. */
    public void read(ByteBuffer buffer) {
        int stored = buffer.getInt();
        long storedUpdates = buffer.getLong();
        double storedPending = buffer.getDouble();
        if (stored != size) {
            buffer.position(buffer.position() + 8 * (stored + stored * stored));
            reset();
            return;
        }
        for (int j = 0; j < size; j++) {
            weights[j] = buffer.getDouble();
        }
        for (int k = 0; k < covariance.length; k++) {
            covariance[k] = buffer.getDouble();
        }
        updates = storedUpdates;
        pendingStep = storedPending;
    }
}
