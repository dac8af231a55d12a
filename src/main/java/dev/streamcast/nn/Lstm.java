package dev.streamcast.nn;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Keras's {@code LSTM(units, activation, recurrent_activation)} returning the last hidden state.
 *
 * <p>Shapes (B batch, T time steps, F features, U units): input [B, T*F] (time-major rows), kernel K [F, 4U],
 * recurrent kernel R [U, 4U], bias b [4U], output h_T [B, U]. Gate columns are in Keras's order: input i,
 * forget f, cell candidate g, output o (columns 0..U-1, U..2U-1, 2U..3U-1, 3U..4U-1).
 *
 * <p>Per step t, with h_0 = c_0 = 0, act the activation and sig the recurrent activation:
 * <pre>
 *   z_t = x_t K + h_{t-1} R + b
 *   i = sig(z_i)   f = sig(z_f)   g = act(z_g)   o = sig(z_o)
 *   c_t = f * c_{t-1} + i * g
 *   h_t = o * act(c_t)
 * </pre>
 *
 * <p>Inside, the per-step states are held transposed, one row per unit and one column per sample (x_t [F, B],
 * z_t and the gates [4U, B], c_t and h_t [U, B]): each gate is then one contiguous block of U*B values and each
 * product a run over the batch, so the loops are long and the JIT vectorises them. For one sample the layout is
 * the plain row, and a dedicated path runs the products along the gates instead. Both paths sum each
 * pre-activation in the same order, so a sample's output does not depend on the batch it came in.
 *
 * <p>HotSpot 17's auto-vectoriser leaves a loop scalar when its arrays are indexed from different offsets (one
 * array at two offsets, or two arrays at unrelated ones), a 3-4x difference here; the work rows
 * ({@code weightRows}, {@code termRows}, {@code zRow}) exist so that the products' loops index every array from
 * the same place.
 */
public final class Lstm implements Layer {

    /** Samples per slice of the batch in {@link #preActivationsOfBatch}: F + U + 2 term rows of 2 KiB each. */
    private static final int SLICE = 256;

    private final String name;
    private final int units;
    private final int timesteps;
    private final int features;
    private final Activation activation;
    private final Activation recurrentActivation;
    private final Parameter kernel;
    private final Parameter recurrentKernel;
    private final Parameter bias;

    // Per-step caches for backpropagation through time, transposed (see the class comment); index t+1 holds the
    // state after step t.
    private final DMatrixRMaj[] x;      // [F, B] per step
    private final DMatrixRMaj[] z;      // [4U, B] pre-activations per step
    private final DMatrixRMaj[] gates;  // [4U, B] activated gates per step
    private final DMatrixRMaj[] c;      // [U, B], c[0] = 0
    private final DMatrixRMaj[] actC;   // [U, B] act(c_t) per step
    private final DMatrixRMaj[] h;      // [U, B], h[0] = 0
    private final DMatrixRMaj output = new DMatrixRMaj(1, 1);  // h_T as [B, U]
    // K's rows, R's rows and b, copied at each forward pass so that each row is its own array (see the class
    // comment). [F + U + 1][4U]
    private final double[][] weightRows;
    // dK's rows then dR's rows, one array each, for the one-sample backward pass (see weightGradientsOfOneSample).
    // [F + U][4U]
    private final double[][] gradientRows;
    // Work rows of the batch path (see preActivationsOfBatch): the terms' values, F + U + 2 rows of B, and a row
    // of z.
    private double[][] termRows = new double[0][];
    private double[] zRow = new double[0];
    // Backward work buffers, transposed like the caches except gradInput [B, T*F].
    private final DMatrixRMaj gradZ = new DMatrixRMaj(1, 1);   // [4U, B]
    private final DMatrixRMaj gradH = new DMatrixRMaj(1, 1);   // [U, B]
    private final DMatrixRMaj gradC = new DMatrixRMaj(1, 1);   // [U, B]
    private final DMatrixRMaj gradXt = new DMatrixRMaj(1, 1);  // [F, B]
    private final DMatrixRMaj gradInput = new DMatrixRMaj(1, 1);
    private int batch = -1;

    public Lstm(String name, int units, int timesteps, int features, Activation activation,
                Activation recurrentActivation) {
        if (units < 1 || timesteps < 1 || features < 1) {
            throw new IllegalArgumentException(name + ": units, timesteps and features must be positive, got units="
                    + units + ", inputShape=[" + timesteps + ", " + features + "]");
        }
        this.name = name;
        this.units = units;
        this.timesteps = timesteps;
        this.features = features;
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
        this.kernel = Parameter.of(name + ".kernel", features, 4 * units);
        this.recurrentKernel = Parameter.of(name + ".recurrent_kernel", units, 4 * units);
        this.bias = Parameter.of(name + ".bias", 1, 4 * units);
        weightRows = new double[features + units + 1][4 * units];
        gradientRows = new double[features + units][4 * units];
        x = new DMatrixRMaj[timesteps];
        z = new DMatrixRMaj[timesteps];
        gates = new DMatrixRMaj[timesteps];
        actC = new DMatrixRMaj[timesteps];
        c = new DMatrixRMaj[timesteps + 1];
        h = new DMatrixRMaj[timesteps + 1];
        for (int t = 0; t < timesteps; t++) {
            x[t] = new DMatrixRMaj(features, 1);
            z[t] = new DMatrixRMaj(4 * units, 1);
            gates[t] = new DMatrixRMaj(4 * units, 1);
            actC[t] = new DMatrixRMaj(units, 1);
        }
        for (int t = 0; t <= timesteps; t++) {
            c[t] = new DMatrixRMaj(units, 1);
            h[t] = new DMatrixRMaj(units, 1);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "lstm";
    }

    public int units() {
        return units;
    }

    public int timesteps() {
        return timesteps;
    }

    public int features() {
        return features;
    }

    public Activation activation() {
        return activation;
    }

    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    public Parameter kernel() {
        return kernel;
    }

    public Parameter recurrentKernel() {
        return recurrentKernel;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public int inputSize() {
        return timesteps * features;
    }

    @Override
    public int outputSize() {
        return units;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(kernel, recurrentKernel, bias);
    }

    private void resize(int newBatch) {
        if (newBatch == batch) {
            return;
        }
        batch = newBatch;
        for (int t = 0; t < timesteps; t++) {
            x[t].reshape(features, batch);
            z[t].reshape(4 * units, batch);
            gates[t].reshape(4 * units, batch);
            actC[t].reshape(units, batch);
        }
        for (int t = 0; t <= timesteps; t++) {
            c[t].reshape(units, batch);
            h[t].reshape(units, batch);
        }
        c[0].zero();
        h[0].zero();
        output.reshape(batch, units);
        if (batch > 1 && zRow.length < batch) {  // grown only, like the matrices' storage
            termRows = new double[features + units + 2][batch];
            Arrays.fill(termRows[features + units], 1.0);
            zRow = new double[batch];
        }
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj input) {
        if (input.numCols != timesteps * features) {
            throw new IllegalArgumentException(name + ": expected input [batch, " + timesteps + "*" + features
                    + "] (inputShape [" + timesteps + ", " + features + "]), got [" + input.numRows + ", "
                    + input.numCols + "]");
        }
        resize(input.numRows);
        copyWeightRows();
        final int n = units * batch;  // values per gate block
        final int inputCols = timesteps * features;
        double[] in = input.data;
        for (int t = 0; t < timesteps; t++) {
            // x_t [F, B]: the columns t*F .. t*F+F-1 of the input, transposed
            double[] xt = x[t].data;
            for (int f = 0; f < features; f++) {
                int from = t * features + f;
                for (int r = 0; r < batch; r++) {
                    xt[f * batch + r] = in[r * inputCols + from];
                }
            }
            // z_t = x_t K + h_{t-1} R + b
            if (batch == 1) {
                preActivationsOfOneSample(t);
            } else {
                preActivationsOfBatch(t);
            }
            // i, f = sig(z_i, z_f); g = act(z_g); o = sig(z_o): each a block of U*B values
            double[] zt = z[t].data;
            double[] gt = gates[t].data;
            recurrentActivation.apply(zt, 0, gt, 0, 2 * n);
            activation.apply(zt, 2 * n, gt, 2 * n, n);
            recurrentActivation.apply(zt, 3 * n, gt, 3 * n, n);
            // c_t = f * c_{t-1} + i * g
            double[] cPrev = c[t].data;
            double[] cNext = c[t + 1].data;
            for (int s = 0; s < n; s++) {
                cNext[s] = gt[n + s] * cPrev[s] + gt[s] * gt[2 * n + s];
            }
            // h_t = o * act(c_t)
            double[] ac = actC[t].data;
            double[] hNext = h[t + 1].data;
            activation.apply(cNext, 0, ac, 0, n);
            for (int s = 0; s < n; s++) {
                hNext[s] = gt[3 * n + s] * ac[s];
            }
        }
        // output [B, U] = h_T^T
        double[] hLast = h[timesteps].data;
        double[] out = output.data;
        for (int r = 0; r < batch; r++) {
            for (int k = 0; k < units; k++) {
                out[r * units + k] = hLast[k * batch + r];
            }
        }
        return output;
    }

    // The pre-activation z_t = x_t K + h_{t-1} R + b as a sum of terms, added left to right in this order by
    // both paths: term q < F is x_{t,q} K[q,:], term F + k is h_{t-1,k} R[k,:] (none at t = 0, where h_0 = 0),
    // the last term is 1 * b. Term q's row of weights is weightRows[termRow(q, count)].

    /** The number of terms of z_t: F, plus U unless t = 0, plus the bias. */
    private int termCount(int t) {
        return features + (t > 0 ? units : 0) + 1;
    }

    /** The row of {@link #weightRows} (and of {@link #termRows}) of term q of count: the bias's is row F + U. */
    private int termRow(int q, int count) {
        return q == count - 1 ? features + units : q;
    }

    /** The value term q of step t multiplies its row of weights by: x_{t,q}, h_{t-1,k} or 1, for one sample. */
    private double termValue(int t, int q) {
        if (q < features) {
            return x[t].data[q];
        }
        return q == termCount(t) - 1 ? 1.0 : h[t].data[q - features];
    }

    /** Copies K, R and b into {@link #weightRows}, a row per array. */
    private void copyWeightRows() {
        final int u4 = 4 * units;
        for (int f = 0; f < features; f++) {
            System.arraycopy(kernel.value().data, f * u4, weightRows[f], 0, u4);
        }
        for (int q = 0; q < units; q++) {
            System.arraycopy(recurrentKernel.value().data, q * u4, weightRows[features + q], 0, u4);
        }
        System.arraycopy(bias.value().data, 0, weightRows[features + units], 0, u4);
    }

    /**
     * z_t for one sample, a run along the 4U gate columns per term: z = v_0 W_0; z += v_q W_q for q = 1..,
     * four terms per pass over z (v_q the term's value, W_q its row of weights).
     */
    private void preActivationsOfOneSample(int t) {
        final int u4 = 4 * units;
        final int count = termCount(t);
        double[] zt = z[t].data;
        double v0 = termValue(t, 0);
        double[] w0 = weightRows[termRow(0, count)];
        for (int j = 0; j < u4; j++) {
            zt[j] = v0 * w0[j];
        }
        int q = 1;
        for (; q + 4 <= count; q += 4) {
            double va = termValue(t, q);
            double vb = termValue(t, q + 1);
            double vc = termValue(t, q + 2);
            double vd = termValue(t, q + 3);
            double[] wa = weightRows[termRow(q, count)];
            double[] wb = weightRows[termRow(q + 1, count)];
            double[] wc = weightRows[termRow(q + 2, count)];
            double[] wd = weightRows[termRow(q + 3, count)];
            for (int j = 0; j < u4; j++) {
                zt[j] = zt[j] + va * wa[j] + vb * wb[j] + vc * wc[j] + vd * wd[j];
            }
        }
        for (; q < count; q++) {
            double v = termValue(t, q);
            double[] w = weightRows[termRow(q, count)];
            for (int j = 0; j < u4; j++) {
                zt[j] += v * w[j];
            }
        }
    }

    /**
     * z_t transposed, z[j,:] = sum_q W_q[j] v_q[:], a run along the batch per pass. The terms' values for the whole
     * batch are the rows of {@link #termRows}: x_t, h_{t-1}, a row of ones (for the bias) and a row of zeros. Each
     * pass adds four terms; the last pass is padded with -0 * 0 = -0, which leaves any sum unchanged (y + -0 = y,
     * also for y = -0), so the sums are those of the one-sample path, bit for bit. Each row of z is summed in
     * {@link #zRow} and then copied into place, so that the loops index every array from the same place. The
     * batch is taken in slices of {@link #SLICE} samples so that the slice of the terms stays in the L1 cache
     * while each row of z reads it.
     */
    private void preActivationsOfBatch(int t) {
        final int u4 = 4 * units;
        final int bt = batch;
        final int count = termCount(t);
        for (int f = 0; f < features; f++) {
            System.arraycopy(x[t].data, f * bt, termRows[f], 0, bt);
        }
        if (t > 0) {
            for (int q = 0; q < units; q++) {
                System.arraycopy(h[t].data, q * bt, termRows[features + q], 0, bt);
            }
        }
        final double[] zeros = termRows[features + units + 1];
        double[] zt = z[t].data;
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
     * Backpropagation through time. Walking t = T-1 .. 0 with dh = dLoss/dh_t and dc = dLoss/dc_t:
     * <pre>
     *   dc += dh * o * act'(c_t)
     *   do = dh * act(c_t)   di = dc * g   dg = dc * i   df = dc * c_{t-1}
     *   dz = [di * sig'(z_i), df * sig'(z_f), dg * act'(z_g), do * sig'(z_o)]
     *   dK += x_t^T dz   dR += h_{t-1}^T dz   db += sum_batch dz
     *   dx_t = dz K^T    dh_{t-1} = dz R^T     dc_{t-1} = dc * f
     * </pre>
     * Transposed like the caches (dz [4U, B], dh and dc [U, B]), the products read dK += x_t dz^T,
     * dR += h_{t-1} dz^T, dx_t = K dz, dh_{t-1} = R dz.
     */
    @Override
    public DMatrixRMaj backward(DMatrixRMaj gradOutput) {
        if (gradOutput.numRows != batch || gradOutput.numCols != units) {
            throw new IllegalArgumentException(name + ": expected dLoss/dOutput [" + batch + ", " + units
                    + "] for the last forward batch, got [" + gradOutput.numRows + ", " + gradOutput.numCols + "]");
        }
        final int u4 = 4 * units;
        final int n = units * batch;
        gradZ.reshape(u4, batch);
        gradH.reshape(units, batch);
        gradC.reshape(units, batch);
        gradXt.reshape(features, batch);
        gradInput.reshape(batch, timesteps * features);
        double[] dz = gradZ.data;
        double[] dh = gradH.data;
        double[] dc = gradC.data;
        double[] db = bias.gradient().data;
        // dh = dLoss/dh_T, transposed
        double[] dOut = gradOutput.data;
        for (int k = 0; k < units; k++) {
            for (int r = 0; r < batch; r++) {
                dh[k * batch + r] = dOut[r * units + k];
            }
        }
        gradC.zero();
        if (batch == 1) {
            copyGradientRows(true);
        }
        for (int t = timesteps - 1; t >= 0; t--) {
            double[] gt = gates[t].data;
            double[] zt = z[t].data;
            double[] cPrev = c[t].data;
            double[] cNow = c[t + 1].data;
            double[] ac = actC[t].data;
            for (int s = 0; s < n; s++) {
                double i = gt[s];
                double f = gt[n + s];
                double g = gt[2 * n + s];
                double o = gt[3 * n + s];
                double dcs = dc[s] + dh[s] * o * activation.derivative(cNow[s], ac[s]);
                dz[s] = dcs * g * recurrentActivation.derivative(zt[s], i);
                dz[n + s] = dcs * cPrev[s] * recurrentActivation.derivative(zt[n + s], f);
                dz[2 * n + s] = dcs * i * activation.derivative(zt[2 * n + s], g);
                dz[3 * n + s] = dh[s] * ac[s] * recurrentActivation.derivative(zt[3 * n + s], o);
                dc[s] = dcs * f;
            }
            if (batch == 1) {
                weightGradientsOfOneSample(t);
            } else {
                // dK += x_t dz^T ; dR += h_{t-1} dz^T ; db += sum over the batch of dz
                CommonOps_DDRM.multAddTransB(x[t], gradZ, kernel.gradient());
                if (t > 0) {  // h_0 = 0
                    CommonOps_DDRM.multAddTransB(h[t], gradZ, recurrentKernel.gradient());
                }
                for (int j = 0; j < u4; j++) {
                    double sum = 0;
                    for (int r = 0; r < batch; r++) {
                        sum += dz[j * batch + r];
                    }
                    db[j] += sum;
                }
                // dx_t = K dz ; dh_{t-1} = R dz
                CommonOps_DDRM.mult(kernel.value(), gradZ, gradXt);
                if (t > 0) {  // no gradient for h_0
                    CommonOps_DDRM.mult(recurrentKernel.value(), gradZ, gradH);
                }
            }
            // dLoss/dInput[:, t*F .. t*F+F-1] = dx_t^T
            double[] dx = gradXt.data;
            double[] gIn = gradInput.data;
            int inputCols = timesteps * features;
            for (int f = 0; f < features; f++) {
                for (int r = 0; r < batch; r++) {
                    gIn[r * inputCols + t * features + f] = dx[f * batch + r];
                }
            }
        }
        if (batch == 1) {
            copyGradientRows(false);
        }
        return gradInput;
    }

    /**
     * Copies dK and dR into {@link #gradientRows}, a row per array ({@code in}), or back ({@code !in}). The
     * one-sample pass adds each step's products into the rows in between, in the same order as into dK and dR.
     */
    private void copyGradientRows(boolean in) {
        final int u4 = 4 * units;
        double[] dk = kernel.gradient().data;
        double[] drk = recurrentKernel.gradient().data;
        for (int f = 0; f < features; f++) {
            if (in) {
                System.arraycopy(dk, f * u4, gradientRows[f], 0, u4);
            } else {
                System.arraycopy(gradientRows[f], 0, dk, f * u4, u4);
            }
        }
        for (int q = 0; q < units; q++) {
            if (in) {
                System.arraycopy(drk, q * u4, gradientRows[features + q], 0, u4);
            } else {
                System.arraycopy(gradientRows[features + q], 0, drk, q * u4, u4);
            }
        }
    }

    /**
     * The products of one step's backward pass for one sample, along the 4U gate columns:
     * <pre>
     *   dK[f,:] += x_f dz    dR[k,:] += h_{t-1,k} dz    db += dz
     *   dx_f = K[f,:] . dz   dh_{t-1,k} = R[k,:] . dz
     * </pre>
     * dK's and dR's rows are those of {@link #gradientRows}, and K's and R's those of {@link #weightRows} (copied
     * at the forward pass), so that every loop indexes its arrays from 0 and the JIT vectorises the updates (see
     * the class comment).
     */
    private void weightGradientsOfOneSample(int t) {
        final int u4 = 4 * units;
        double[] dz = gradZ.data;
        double[] xt = x[t].data;
        double[] hPrev = h[t].data;
        double[] db = bias.gradient().data;
        double[] dx = gradXt.data;
        double[] dh = gradH.data;
        for (int f = 0; f < features; f++) {
            double xf = xt[f];
            double[] dkRow = gradientRows[f];
            for (int j = 0; j < u4; j++) {
                dkRow[j] += xf * dz[j];
            }
            dx[f] = dot(weightRows[f], 0, dz, u4);
        }
        if (t > 0) {  // h_0 = 0 is no weight's input and needs no gradient
            for (int q = 0; q < units; q++) {
                double hq = hPrev[q];
                double[] drkRow = gradientRows[features + q];
                for (int j = 0; j < u4; j++) {
                    drkRow[j] += hq * dz[j];
                }
                dh[q] = dot(weightRows[features + q], 0, dz, u4);
            }
        }
        for (int j = 0; j < u4; j++) {
            db[j] += dz[j];
        }
    }

    /**
     * a[from .. from+n-1] . b[0 .. n-1], summed in four interleaved partial sums (j mod 4) so that the additions
     * do not wait on each other.
     */
    static double dot(double[] a, int from, double[] b, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += a[from + j] * b[j];
            s1 += a[from + j + 1] * b[j + 1];
            s2 += a[from + j + 2] * b[j + 2];
            s3 += a[from + j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[from + j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public Lstm copy() {
        Lstm copy = new Lstm(name, units, timesteps, features, activation, recurrentActivation);
        copy.kernel.value().setTo(kernel.value());
        copy.recurrentKernel.value().setTo(recurrentKernel.value());
        copy.bias.value().setTo(bias.value());
        return copy;
    }
}
