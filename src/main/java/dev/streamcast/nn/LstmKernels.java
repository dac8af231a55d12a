package dev.streamcast.nn;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * The inner loops of {@link Lstm}: the pre-activations z_t = x_t K + h_{t-1} R + b of one step (one sample, or a
 * batch held transposed) and the one-sample products of the backward pass, with the work rows they run on. One
 * instance per layer; its rows are allocated once (the batch's grown only), so a forward or backward pass allocates
 * nothing.
 *
 * <p><b>The term-row scheme.</b> z_t is computed as a sum of terms, added left to right in the same order by both
 * forward paths: term q &lt; F is x_{t,q} K[q,:], term F + k is h_{t-1,k} R[k,:] (none at t = 0, where h_0 = 0), and
 * the last term is 1 * b. Each term is a value times a row of weights, and every row of weights is its own array:
 * {@code weightRows} holds K's F rows, R's U rows and b (rows 0..F-1, F..F+U-1, F+U), copied from the parameters at
 * each forward pass. The batch path likewise holds each term's values for the whole batch in a row of its own
 * ({@code termRows}: x_t's F rows, h_{t-1}'s U rows, a row of ones for the bias and a row of zeros for padding), and
 * sums each row of z in {@code zRow} before copying it into place. {@link #termRow} maps term q to its row in both.
 *
 * <p><b>Why it is fast.</b> HotSpot 17's auto-vectoriser leaves a loop scalar when its arrays are indexed from
 * different offsets (one array at two offsets, or two arrays at unrelated ones): a product read straight out of
 * the row-major K, R or z (row q at offset q * 4U) stays scalar. With a row per array, every loop below indexes all
 * its arrays from the same place and the JIT vectorises it. Measured on this project's 2-core VM, JDK 17, on the
 * seed's shape (12 terms of 40 columns, best of ten interleaved rounds each, three runs): the same loop over one
 * row-major array took 1.8-2.3x the time of the loop over a row per array, and 1.5-1.9x with four terms a pass as
 * below (2026-12-01, the machine loaded by other builds; the first profiling, on a quiet machine, saw 3-4x).
 *
 * <p>The one-sample path runs along the 4U gate columns, four terms per pass over z; the batch path runs along the
 * batch, four terms per pass, in slices of {@link #SLICE} samples so that the slice of the terms stays in the L1
 * cache while each row of z reads it. {@code bench model} times both (forecast one window, forecast 1,024 windows;
 * figures in BENCHMARKS.md). The one-sample backward pass keeps dK's and dR's rows as arrays of their own
 * ({@code gradientRows}) for the same reason.
 *
 * <p><b>Same sums, bit for bit.</b> The batch path pads its last pass of four terms with -0 * 0 = -0, which leaves
 * any sum unchanged (y + -0 = y, also for y = -0), so it adds exactly the terms of the one-sample path in the same
 * order: a sample's output does not depend on the batch it came in ({@code BatchConsistencyTest}).
 */
final class LstmKernels {

    /** Samples per slice of the batch in {@link #preActivationsOfBatch}: F + U + 2 term rows of 2 KiB each. */
    private static final int SLICE = 256;

    private final int features;
    private final int units;
    // K's rows, R's rows and b, a row per array. [F + U + 1][4U]
    private final double[][] weightRows;
    // dK's rows then dR's rows, a row per array, for the one-sample backward pass. [F + U][4U]
    private final double[][] gradientRows;
    // The batch path's terms' values, F + U + 2 rows of B (ones for the bias, then zeros), and a row of z.
    private double[][] termRows = new double[0][];
    private double[] zRow = new double[0];

    LstmKernels(int features, int units) {
        this.features = features;
        this.units = units;
        weightRows = new double[features + units + 1][4 * units];
        gradientRows = new double[features + units][4 * units];
    }

    /** Makes the batch path's work rows hold {@code batch} samples; grown only, like the matrices' storage. */
    void resize(int batch) {
        if (batch > 1 && zRow.length < batch) {
            termRows = new double[features + units + 2][batch];
            Arrays.fill(termRows[features + units], 1.0);
            zRow = new double[batch];
        }
    }

    /** Copies K [F, 4U], R [U, 4U] and b [4U] into {@code weightRows}, a row per array. */
    void copyWeightRows(DMatrixRMaj kernel, DMatrixRMaj recurrentKernel, DMatrixRMaj bias) {
        final int u4 = 4 * units;
        for (int f = 0; f < features; f++) {
            System.arraycopy(kernel.data, f * u4, weightRows[f], 0, u4);
        }
        for (int q = 0; q < units; q++) {
            System.arraycopy(recurrentKernel.data, q * u4, weightRows[features + q], 0, u4);
        }
        System.arraycopy(bias.data, 0, weightRows[features + units], 0, u4);
    }

    /** The number of terms of z_t: F, plus U when h_{t-1} is not h_0 = 0, plus the bias. */
    private int termCount(boolean recurrent) {
        return features + (recurrent ? units : 0) + 1;
    }

    /** The row of {@code weightRows} (and of {@code termRows}) of term q of count: the bias's is row F + U. */
    private int termRow(int q, int count) {
        return q == count - 1 ? features + units : q;
    }

    /** The value term q multiplies its row of weights by, for one sample: x_{t,q}, h_{t-1,k} or 1. */
    private double termValue(double[] xt, double[] hPrev, int count, int q) {
        if (q < features) {
            return xt[q];
        }
        return q == count - 1 ? 1.0 : hPrev[q - features];
    }

    /**
     * z_t [4U] of one sample, a run along the 4U gate columns per term: z = v_0 W_0; z += v_q W_q for q = 1..,
     * four terms per pass over z (v_q the term's value, W_q its row of weights).
     *
     * @param xt        x_t [F]
     * @param hPrev     h_{t-1} [U], read only if {@code recurrent}
     * @param recurrent false at t = 0, where h_0 = 0 adds no term
     * @param zt        z_t [4U], written
     */
    void preActivationsOfOneSample(double[] xt, double[] hPrev, boolean recurrent, double[] zt) {
        final int u4 = 4 * units;
        final int count = termCount(recurrent);
        double v0 = termValue(xt, hPrev, count, 0);
        double[] w0 = weightRows[termRow(0, count)];
        for (int j = 0; j < u4; j++) {
            zt[j] = v0 * w0[j];
        }
        int q = 1;
        for (; q + 4 <= count; q += 4) {
            double va = termValue(xt, hPrev, count, q);
            double vb = termValue(xt, hPrev, count, q + 1);
            double vc = termValue(xt, hPrev, count, q + 2);
            double vd = termValue(xt, hPrev, count, q + 3);
            double[] wa = weightRows[termRow(q, count)];
            double[] wb = weightRows[termRow(q + 1, count)];
            double[] wc = weightRows[termRow(q + 2, count)];
            double[] wd = weightRows[termRow(q + 3, count)];
            for (int j = 0; j < u4; j++) {
                zt[j] = zt[j] + va * wa[j] + vb * wb[j] + vc * wc[j] + vd * wd[j];
            }
        }
        for (; q < count; q++) {
            double v = termValue(xt, hPrev, count, q);
            double[] w = weightRows[termRow(q, count)];
            for (int j = 0; j < u4; j++) {
                zt[j] += v * w[j];
            }
        }
    }

    /**
     * z_t transposed [4U, B], z[j,:] = sum_q W_q[j] v_q[:], a run along the batch per pass, four terms per pass
     * (the last padded with -0 * 0), slice by slice of the batch.
     *
     * @param xt        x_t [F, B]
     * @param hPrev     h_{t-1} [U, B], read only if {@code recurrent}
     * @param recurrent false at t = 0, where h_0 = 0 adds no term
     * @param batch     B, at most the size last passed to {@link #resize}
     * @param zt        z_t [4U, B], written
     */
    void preActivationsOfBatch(double[] xt, double[] hPrev, boolean recurrent, int batch, double[] zt) {
        final int u4 = 4 * units;
        final int bt = batch;
        final int count = termCount(recurrent);
        for (int f = 0; f < features; f++) {
            System.arraycopy(xt, f * bt, termRows[f], 0, bt);
        }
        if (recurrent) {
            for (int q = 0; q < units; q++) {
                System.arraycopy(hPrev, q * bt, termRows[features + q], 0, bt);
            }
        }
        final double[] zeros = termRows[features + units + 1];
        double[] acc = zRow;
        for (int from = 0; from < bt; from += SLICE) {
            int to = Math.min(bt, from + SLICE);
            for (int j = 0; j < u4; j++) {
                for (int q = 0; q < count; q += 4) {
                    // four terms a, b, c, d; past the last, the padding -0 * 0
                    double wa = weightRows[termRow(q, count)][j];
                    double wb = q + 1 < count ? weightRows[termRow(q + 1, count)][j] : -0.0;
                    double wc = q + 2 < count ? weightRows[termRow(q + 2, count)][j] : -0.0;
                    double wd = q + 3 < count ? weightRows[termRow(q + 3, count)][j] : -0.0;
                    double[] a = termRows[termRow(q, count)];
                    double[] b = q + 1 < count ? termRows[termRow(q + 1, count)] : zeros;
                    double[] c = q + 2 < count ? termRows[termRow(q + 2, count)] : zeros;
                    double[] d = q + 3 < count ? termRows[termRow(q + 3, count)] : zeros;
                    if (q == 0) {
                        for (int r = from; r < to; r++) {
                            acc[r] = wa * a[r] + wb * b[r] + wc * c[r] + wd * d[r];
                        }
                    } else {
                        for (int r = from; r < to; r++) {
                            acc[r] = acc[r] + wa * a[r] + wb * b[r] + wc * c[r] + wd * d[r];
                        }
                    }
                }
                System.arraycopy(acc, from, zt, j * bt + from, to - from);
            }
        }
    }

    /**
     * Copies dK [F, 4U] and dR [U, 4U] into {@code gradientRows}, a row per array, before a one-sample backward
     * pass; {@link #storeGradientRows} copies them back after it.
     */
    void loadGradientRows(DMatrixRMaj kernelGradient, DMatrixRMaj recurrentKernelGradient) {
        final int u4 = 4 * units;
        for (int f = 0; f < features; f++) {
            System.arraycopy(kernelGradient.data, f * u4, gradientRows[f], 0, u4);
        }
        for (int q = 0; q < units; q++) {
            System.arraycopy(recurrentKernelGradient.data, q * u4, gradientRows[features + q], 0, u4);
        }
    }

    /** Copies {@code gradientRows} back into dK and dR (see {@link #loadGradientRows}). */
    void storeGradientRows(DMatrixRMaj kernelGradient, DMatrixRMaj recurrentKernelGradient) {
        final int u4 = 4 * units;
        for (int f = 0; f < features; f++) {
            System.arraycopy(gradientRows[f], 0, kernelGradient.data, f * u4, u4);
        }
        for (int q = 0; q < units; q++) {
            System.arraycopy(gradientRows[features + q], 0, recurrentKernelGradient.data, q * u4, u4);
        }
    }

    /**
     * The products of one step's backward pass for one sample, along the 4U gate columns:
     * <pre>
     *   dK[f,:] += x_f dz    dR[k,:] += h_{t-1,k} dz    db += dz
     *   dx_f = K[f,:] . dz   dh_{t-1,k} = R[k,:] . dz
     * </pre>
     * dK's and dR's rows are those of {@code gradientRows} (between {@link #loadGradientRows} and
     * {@link #storeGradientRows}), added into in the same order as into dK and dR; K's and R's are those of
     * {@code weightRows}, copied at the forward pass.
     *
     * @param dz        dLoss/dz_t [4U]
     * @param xt        x_t [F]
     * @param hPrev     h_{t-1} [U], read only if {@code recurrent}
     * @param recurrent false at t = 0: h_0 = 0 is no weight's input and needs no gradient, so dR and dh are untouched
     * @param db        dLoss/db [4U], added into
     * @param dx        dLoss/dx_t [F], written
     * @param dh        dLoss/dh_{t-1} [U], written if {@code recurrent}
     */
    void weightGradientsOfOneSample(double[] dz, double[] xt, double[] hPrev, boolean recurrent, double[] db,
                                    double[] dx, double[] dh) {
        final int u4 = 4 * units;
        for (int f = 0; f < features; f++) {
            double xf = xt[f];
            double[] dkRow = gradientRows[f];
            for (int j = 0; j < u4; j++) {
                dkRow[j] += xf * dz[j];
            }
            dx[f] = dot(weightRows[f], dz, u4);
        }
        if (recurrent) {
            for (int q = 0; q < units; q++) {
                double hq = hPrev[q];
                double[] drkRow = gradientRows[features + q];
                for (int j = 0; j < u4; j++) {
                    drkRow[j] += hq * dz[j];
                }
                dh[q] = dot(weightRows[features + q], dz, u4);
            }
        }
        for (int j = 0; j < u4; j++) {
            db[j] += dz[j];
        }
    }

    /**
     * a[0 .. n-1] . b[0 .. n-1], summed in four interleaved partial sums (j mod 4) so that the additions do not wait
     * on each other.
     */
    private static double dot(double[] a, double[] b, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
