package dev.streamcast.nn;

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
 */
public final class Lstm implements Layer {

    private final String name;
    private final int units;
    private final int timesteps;
    private final int features;
    private final Activation activation;
    private final Activation recurrentActivation;
    private final Parameter kernel;
    private final Parameter recurrentKernel;
    private final Parameter bias;

    // Per-step caches for backpropagation through time; index t+1 holds the state after step t.
    private final DMatrixRMaj[] x;      // [B, F] per step
    private final DMatrixRMaj[] z;      // [B, 4U] pre-activations per step
    private final DMatrixRMaj[] gates;  // [B, 4U] activated gates per step
    private final DMatrixRMaj[] c;      // [B, U], c[0] = 0
    private final DMatrixRMaj[] actC;   // [B, U] act(c_t) per step
    private final DMatrixRMaj[] h;      // [B, U], h[0] = 0
    // Backward work buffers.
    private final DMatrixRMaj gradZ = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj gradH = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj gradC = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj gradXt = new DMatrixRMaj(1, 1);
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
        x = new DMatrixRMaj[timesteps];
        z = new DMatrixRMaj[timesteps];
        gates = new DMatrixRMaj[timesteps];
        actC = new DMatrixRMaj[timesteps];
        c = new DMatrixRMaj[timesteps + 1];
        h = new DMatrixRMaj[timesteps + 1];
        for (int t = 0; t < timesteps; t++) {
            x[t] = new DMatrixRMaj(1, features);
            z[t] = new DMatrixRMaj(1, 4 * units);
            gates[t] = new DMatrixRMaj(1, 4 * units);
            actC[t] = new DMatrixRMaj(1, units);
        }
        for (int t = 0; t <= timesteps; t++) {
            c[t] = new DMatrixRMaj(1, units);
            h[t] = new DMatrixRMaj(1, units);
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
            x[t].reshape(batch, features);
            z[t].reshape(batch, 4 * units);
            gates[t].reshape(batch, 4 * units);
            actC[t].reshape(batch, units);
        }
        for (int t = 0; t <= timesteps; t++) {
            c[t].reshape(batch, units);
            h[t].reshape(batch, units);
        }
        c[0].zero();
        h[0].zero();
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj input) {
        if (input.numCols != timesteps * features) {
            throw new IllegalArgumentException(name + ": expected input [batch, " + timesteps + "*" + features
                    + "] (inputShape [" + timesteps + ", " + features + "]), got [" + input.numRows + ", "
                    + input.numCols + "]");
        }
        resize(input.numRows);
        final int u = units;
        final int u4 = 4 * units;
        double[] b = bias.value().data;
        for (int t = 0; t < timesteps; t++) {
            CommonOps_DDRM.extract(input, 0, batch, t * features, (t + 1) * features, x[t], 0, 0);
            // z_t = x_t K + h_{t-1} R + b
            CommonOps_DDRM.mult(x[t], kernel.value(), z[t]);
            CommonOps_DDRM.multAdd(h[t], recurrentKernel.value(), z[t]);
            double[] zt = z[t].data;
            for (int r = 0; r < batch; r++) {
                int row = r * u4;
                for (int j = 0; j < u4; j++) {
                    zt[row + j] += b[j];
                }
            }
            // i, f = sig(z_i, z_f); g = act(z_g); o = sig(z_o)
            double[] gt = gates[t].data;
            for (int r = 0; r < batch; r++) {
                int row = r * u4;
                recurrentActivation.apply(zt, row, gt, row, 2 * u);
                activation.apply(zt, row + 2 * u, gt, row + 2 * u, u);
                recurrentActivation.apply(zt, row + 3 * u, gt, row + 3 * u, u);
            }
            // c_t = f * c_{t-1} + i * g ; h_t = o * act(c_t)
            double[] cPrev = c[t].data;
            double[] cNext = c[t + 1].data;
            double[] ac = actC[t].data;
            double[] hNext = h[t + 1].data;
            for (int r = 0; r < batch; r++) {
                int g0 = r * u4;
                int s0 = r * u;
                for (int j = 0; j < u; j++) {
                    cNext[s0 + j] = gt[g0 + u + j] * cPrev[s0 + j] + gt[g0 + j] * gt[g0 + 2 * u + j];
                }
                activation.apply(cNext, s0, ac, s0, u);
                for (int j = 0; j < u; j++) {
                    hNext[s0 + j] = gt[g0 + 3 * u + j] * ac[s0 + j];
                }
            }
        }
        return h[timesteps];
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
     */
    @Override
    public DMatrixRMaj backward(DMatrixRMaj gradOutput) {
        final int u = units;
        final int u4 = 4 * units;
        gradZ.reshape(batch, u4);
        gradH.reshape(batch, u);
        gradC.reshape(batch, u);
        gradXt.reshape(batch, features);
        gradInput.reshape(batch, timesteps * features);
        gradH.setTo(gradOutput);
        gradC.zero();
        double[] dz = gradZ.data;
        double[] dh = gradH.data;
        double[] dc = gradC.data;
        double[] db = bias.gradient().data;
        for (int t = timesteps - 1; t >= 0; t--) {
            double[] gt = gates[t].data;
            double[] zt = z[t].data;
            double[] cPrev = c[t].data;
            double[] cNow = c[t + 1].data;
            double[] ac = actC[t].data;
            for (int r = 0; r < batch; r++) {
                int g0 = r * u4;
                int s0 = r * u;
                for (int j = 0; j < u; j++) {
                    int s = s0 + j;
                    double i = gt[g0 + j];
                    double f = gt[g0 + u + j];
                    double g = gt[g0 + 2 * u + j];
                    double o = gt[g0 + 3 * u + j];
                    double dcs = dc[s] + dh[s] * o * activation.derivative(cNow[s], ac[s]);
                    dz[g0 + j] = dcs * g * recurrentActivation.derivative(zt[g0 + j], i);
                    dz[g0 + u + j] = dcs * cPrev[s] * recurrentActivation.derivative(zt[g0 + u + j], f);
                    dz[g0 + 2 * u + j] = dcs * i * activation.derivative(zt[g0 + 2 * u + j], g);
                    dz[g0 + 3 * u + j] = dh[s] * ac[s] * recurrentActivation.derivative(zt[g0 + 3 * u + j], o);
                    dc[s] = dcs * f;
                }
                for (int j = 0; j < u4; j++) {
                    db[j] += dz[g0 + j];
                }
            }
            CommonOps_DDRM.multAddTransA(x[t], gradZ, kernel.gradient());
            CommonOps_DDRM.multAddTransA(h[t], gradZ, recurrentKernel.gradient());
            CommonOps_DDRM.multTransB(gradZ, kernel.value(), gradXt);
            CommonOps_DDRM.insert(gradXt, gradInput, 0, t * features);
            CommonOps_DDRM.multTransB(gradZ, recurrentKernel.value(), gradH);
        }
        return gradInput;
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
