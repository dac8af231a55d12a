package dev.streamcast.nn;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Keras's {@code LSTM(units, activation, recurrent_activation, return_sequences)}.
 *
 * <p>Shapes (B batch, T time steps, F features, U units): input [B, T*F] (time-major rows), kernel K [F, 4U],
 * recurrent kernel R [U, 4U], bias b [4U], output h_T [B, U], or with returnSequences every h_t, [B, T*U]
 * time-major. Gate columns are in Keras's order: input i,
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
 * elementwise loop a run of that length. The products of z_t (and, for one sample, of the backward pass) are
 * {@link LstmKernels}'s, which also says how they are laid out for the JIT; a sample's output does not depend on
 * the batch it came in.
 */
public final class Lstm implements Layer {

    private final String name;
    private final int units;
    private final int timesteps;
    private final int features;
    private final Activation activation;
    private final Activation recurrentActivation;
    private final boolean returnSequences;
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
    private final DMatrixRMaj output = new DMatrixRMaj(1, 1);  // h_T as [B, U], or every h_t as [B, T*U]
    // The products' loops and their work rows (K's, R's and b's rows, copied at each forward pass).
    private final LstmKernels kernels;
    // Backward work buffers, transposed like the caches except gradInput [B, T*F].
    private final DMatrixRMaj gradZ = new DMatrixRMaj(1, 1);   // [4U, B]
    private final DMatrixRMaj gradH = new DMatrixRMaj(1, 1);   // [U, B]
    private final DMatrixRMaj gradC = new DMatrixRMaj(1, 1);   // [U, B]
    private final DMatrixRMaj gradXt = new DMatrixRMaj(1, 1);  // [F, B]
    private final DMatrixRMaj gradInput = new DMatrixRMaj(1, 1);
    private int batch = -1;

    public Lstm(String name, int units, int timesteps, int features, Activation activation,
                Activation recurrentActivation) {
        this(name, units, timesteps, features, activation, recurrentActivation, false);
    }

    public Lstm(String name, int units, int timesteps, int features, Activation activation,
                Activation recurrentActivation, boolean returnSequences) {
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
        this.returnSequences = returnSequences;
        this.kernel = Parameter.of(name + ".kernel", features, 4 * units);
        this.recurrentKernel = Parameter.of(name + ".recurrent_kernel", units, 4 * units);
        this.bias = Parameter.of(name + ".bias", 1, 4 * units);
        kernels = new LstmKernels(features, units);
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

    public boolean returnSequences() {
        return returnSequences;
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
        return returnSequences ? timesteps * units : units;
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
        output.reshape(batch, outputSize());
        kernels.resize(batch);
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj input) {
        if (input.numCols != timesteps * features) {
            throw new IllegalArgumentException(name + ": expected input [batch, " + timesteps + "*" + features
                    + "] (inputShape [" + timesteps + ", " + features + "]), got [" + input.numRows + ", "
                    + input.numCols + "]");
        }
        resize(input.numRows);
        kernels.copyWeightRows(kernel.value(), recurrentKernel.value(), bias.value());
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
            // z_t = x_t K + h_{t-1} R + b (no h_{t-1} R at t = 0, where h_0 = 0)
            if (batch == 1) {
                kernels.preActivationsOfOneSample(xt, h[t].data, t > 0, z[t].data);
            } else {
                kernels.preActivationsOfBatch(xt, h[t].data, t > 0, batch, z[t].data);
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
            if (returnSequences) {
                // output[:, t*U .. t*U+U-1] = h_t^T
                double[] out = output.data;
                int outCols = timesteps * units;
                for (int r = 0; r < batch; r++) {
                    for (int k = 0; k < units; k++) {
                        out[r * outCols + t * units + k] = hNext[k * batch + r];
                    }
                }
            }
        }
        if (!returnSequences) {
            // output [B, U] = h_T^T
            double[] hLast = h[timesteps].data;
            double[] out = output.data;
            for (int r = 0; r < batch; r++) {
                for (int k = 0; k < units; k++) {
                    out[r * units + k] = hLast[k * batch + r];
                }
            }
        }
        return output;
    }

    /**
     * Backpropagation through time. Walking t = T-1 .. 0 with dh = dLoss/dh_t (with returnSequences, plus the
     * output's gradient at step t) and dc = dLoss/dc_t:
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
        if (gradOutput.numRows != batch || gradOutput.numCols != outputSize()) {
            throw new IllegalArgumentException(name + ": expected dLoss/dOutput [" + batch + ", " + outputSize()
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
        // dh = dLoss/dh_T, transposed (with returnSequences, each step's part is added in the loop)
        double[] dOut = gradOutput.data;
        if (returnSequences) {
            gradH.zero();
        } else {
            for (int k = 0; k < units; k++) {
                for (int r = 0; r < batch; r++) {
                    dh[k * batch + r] = dOut[r * units + k];
                }
            }
        }
        gradC.zero();
        if (batch == 1) {
            kernels.loadGradientRows(kernel.gradient(), recurrentKernel.gradient());
        }
        for (int t = timesteps - 1; t >= 0; t--) {
            if (returnSequences) {
                // dh += dLoss/dOutput[:, t*U .. t*U+U-1], transposed
                int outCols = timesteps * units;
                for (int k = 0; k < units; k++) {
                    for (int r = 0; r < batch; r++) {
                        dh[k * batch + r] += dOut[r * outCols + t * units + k];
                    }
                }
            }
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
            // dK += x_t dz^T ; dR += h_{t-1} dz^T ; db += sum over the batch of dz
            // dx_t = K dz ; dh_{t-1} = R dz (no dR or dh_{t-1} at t = 0: h_0 = 0 is no weight's input)
            if (batch == 1) {
                kernels.weightGradientsOfOneSample(dz, x[t].data, h[t].data, t > 0, db, gradXt.data, dh);
            } else {
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
            kernels.storeGradientRows(kernel.gradient(), recurrentKernel.gradient());
        }
        return gradInput;
    }

    @Override
    public Lstm copy() {
        Lstm copy = new Lstm(name, units, timesteps, features, activation, recurrentActivation, returnSequences);
        copy.kernel.value().setTo(kernel.value());
        copy.recurrentKernel.value().setTo(recurrentKernel.value());
        copy.bias.value().setTo(bias.value());
        return copy;
    }
}
