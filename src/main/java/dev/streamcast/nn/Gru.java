package dev.streamcast.nn;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Keras's {@code GRU(units, activation, recurrent_activation, reset_after, return_sequences)}.
 *
 * <p>Shapes (B batch, T time steps, F features, U units): input [B, T*F] (time-major rows), kernel K [F, 3U],
 * recurrent kernel R [U, 3U], gate columns in Keras's order: update z, reset r, candidate h (0..U-1, U..2U-1,
 * 2U..3U-1). The bias is [3U], or with resetAfter [2, 3U]: row 0 (b) added to x_t K, row 1 (b') to h_{t-1} R. Output
 * h_T [B, U], or with returnSequences every h_t, [B, T*U] time-major. Per step t, with h_0 = 0, act the activation and
 * sig the recurrent activation, X = x_t K + b:
 * <pre>
 *   resetAfter (Keras 3's default):       I = h_{t-1} R + b'
 *     z = sig(X_z + I_z)   r = sig(X_r + I_r)   hh = act(X_h + r * I_h)
 *   reset before (Keras 2's default):
 *     z = sig(X_z + h_{t-1} R_z)   r = sig(X_r + h_{t-1} R_r)   hh = act(X_h + (r * h_{t-1}) R_h)
 *   h_t = z * h_{t-1} + (1 - z) * hh
 * </pre>
 */
public final class Gru implements Layer {

    private final String name;
    private final int units;
    private final int timesteps;
    private final int features;
    private final Activation activation;
    private final Activation recurrentActivation;
    private final boolean resetAfter;
    private final boolean returnSequences;
    private final Parameter kernel;
    private final Parameter recurrentKernel;
    private final Parameter bias;

    // Per-step caches for backpropagation through time; index t+1 of h holds h_t, h[0] = 0.
    private final DMatrixRMaj[] x;      // [B, F]
    private final DMatrixRMaj[] pre;    // [B, 3U]: the pre-activations of z, r and hh
    private final DMatrixRMaj[] gates;  // [B, 3U]: z, r, hh
    private final DMatrixRMaj[] inner;  // [B, U]: resetAfter I_h = h_{t-1} R_h + b'_h; before, r * h_{t-1}
    private final DMatrixRMaj[] h;      // [B, U]
    private final DMatrixRMaj output = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj work = new DMatrixRMaj(1, 1);       // [B, 3U]: I in the forward pass
    private final DMatrixRMaj gradX = new DMatrixRMaj(1, 1);      // [B, 3U]: dLoss/d(X)
    private final DMatrixRMaj gradI = new DMatrixRMaj(1, 1);      // [B, 3U]: dLoss/dI (resetAfter) or its z, r part
    private final DMatrixRMaj gradRh = new DMatrixRMaj(1, 1);     // [B, U]: dLoss/d(r * h_{t-1}), reset before
    private final DMatrixRMaj gradH = new DMatrixRMaj(1, 1);      // [B, U]
    private final DMatrixRMaj gradHPrev = new DMatrixRMaj(1, 1);  // [B, U]
    private final DMatrixRMaj gradXt = new DMatrixRMaj(1, 1);     // [B, F]
    private final DMatrixRMaj gradInput = new DMatrixRMaj(1, 1);  // [B, T*F]
    private int batch = -1;

    public Gru(String name, int units, int timesteps, int features, Activation activation,
               Activation recurrentActivation, boolean resetAfter, boolean returnSequences) {
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
        this.resetAfter = resetAfter;
        this.returnSequences = returnSequences;
        kernel = Parameter.of(name + ".kernel", features, 3 * units);
        recurrentKernel = Parameter.of(name + ".recurrent_kernel", units, 3 * units);
        bias = Parameter.of(name + ".bias", resetAfter ? 2 : 1, 3 * units);
        x = new DMatrixRMaj[timesteps];
        pre = new DMatrixRMaj[timesteps];
        gates = new DMatrixRMaj[timesteps];
        inner = new DMatrixRMaj[timesteps];
        h = new DMatrixRMaj[timesteps + 1];
        for (int t = 0; t < timesteps; t++) {
            x[t] = new DMatrixRMaj(1, features);
            pre[t] = new DMatrixRMaj(1, 3 * units);
            gates[t] = new DMatrixRMaj(1, 3 * units);
            inner[t] = new DMatrixRMaj(1, units);
        }
        for (int t = 0; t <= timesteps; t++) {
            h[t] = new DMatrixRMaj(1, units);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "gru";
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

    public boolean resetAfter() {
        return resetAfter;
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

    /** [1, 3U], or with resetAfter [2, 3U] (the input bias, then the recurrent bias). */
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
            x[t].reshape(batch, features);
            pre[t].reshape(batch, 3 * units);
            gates[t].reshape(batch, 3 * units);
            inner[t].reshape(batch, units);
        }
        for (int t = 0; t <= timesteps; t++) {
            h[t].reshape(batch, units);
        }
        h[0].zero();
        output.reshape(batch, outputSize());
        work.reshape(batch, 3 * units);
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj input) {
        if (input.numCols != inputSize()) {
            throw new IllegalArgumentException(name + ": expected input [batch, " + timesteps + "*" + features
                    + "], got [" + input.numRows + ", " + input.numCols + "]");
        }
        resize(input.numRows);
        final int u = units;
        final int u3 = 3 * units;
        double[] k = kernel.value().data;
        double[] rk = recurrentKernel.value().data;
        double[] b = bias.value().data;
        double[] in = work.data;
        for (int t = 0; t < timesteps; t++) {
            RecurrentProducts.stepOf(input.data, batch, timesteps, features, t, x[t].data);
            double[] hPrev = h[t].data;
            double[] p = pre[t].data;
            double[] g = gates[t].data;
            double[] ih = inner[t].data;
            // p = X = x_t K + b
            for (int r = 0; r < batch; r++) {
                System.arraycopy(b, 0, p, r * u3, u3);
            }
            RecurrentProducts.multAdd(x[t].data, batch, features, k, u3, 0, u3, p, u3, 0);
            // I = h_{t-1} R + b' (resetAfter), or its z and r columns h_{t-1} R_{z,r}
            int innerCols = resetAfter ? u3 : 2 * u;
            for (int r = 0; r < batch; r++) {
                if (resetAfter) {
                    System.arraycopy(b, u3, in, r * u3, u3);
                } else {
                    Arrays.fill(in, r * u3, r * u3 + 2 * u, 0.0);
                }
            }
            if (t > 0) {
                RecurrentProducts.multAdd(hPrev, batch, u, rk, u3, 0, innerCols, in, u3, 0);
            }
            // z, r = sig(X_{z,r} + I_{z,r})
            for (int r = 0; r < batch; r++) {
                for (int j = 0; j < 2 * u; j++) {
                    p[r * u3 + j] += in[r * u3 + j];
                }
            }
            for (int r = 0; r < batch; r++) {
                recurrentActivation.apply(p, r * u3, g, r * u3, 2 * u);
            }
            if (resetAfter) {
                // hh's pre-activation X_h + r * I_h
                for (int r = 0; r < batch; r++) {
                    for (int j = 0; j < u; j++) {
                        double innerH = in[r * u3 + 2 * u + j];
                        ih[r * u + j] = innerH;
                        p[r * u3 + 2 * u + j] += g[r * u3 + u + j] * innerH;
                    }
                }
            } else {
                // hh's pre-activation X_h + (r * h_{t-1}) R_h
                for (int r = 0; r < batch; r++) {
                    for (int j = 0; j < u; j++) {
                        ih[r * u + j] = g[r * u3 + u + j] * hPrev[r * u + j];
                    }
                }
                if (t > 0) {
                    RecurrentProducts.multAdd(ih, batch, u, rk, u3, 2 * u, u, p, u3, 2 * u);
                }
            }
            double[] hNext = h[t + 1].data;
            for (int r = 0; r < batch; r++) {
                activation.apply(p, r * u3 + 2 * u, g, r * u3 + 2 * u, u);
                // h_t = z * h_{t-1} + (1 - z) * hh
                for (int j = 0; j < u; j++) {
                    double z = g[r * u3 + j];
                    hNext[r * u + j] = z * hPrev[r * u + j] + (1.0 - z) * g[r * u3 + 2 * u + j];
                }
            }
            if (returnSequences) {
                RecurrentProducts.setStep(hNext, batch, timesteps, u, t, output.data);
            }
        }
        if (!returnSequences) {
            System.arraycopy(h[timesteps].data, 0, output.data, 0, batch * u);
        }
        return output;
    }

    /**
     * Backpropagation through time, t = T-1 .. 0, dh = dLoss/dh_t (plus the output's gradient at step t with
     * returnSequences), P the pre-activations:
     * <pre>
     *   dz = dh * (h_{t-1} - hh)   dhh = dh * (1 - z)   dh_{t-1} = dh * z
     *   dP_h = dhh * act'(P_h)     dP_z = dz * sig'(P_z)
     *   resetAfter:  dr = dP_h * I_h                 dI = [dP_z, dP_r, dP_h * r]
     *                dR += h_{t-1}^T dI   db' += sum_batch dI   dh_{t-1} += dI R^T
     *   before:      d(r h) = dP_h R_h^T   dR_h += (r h_{t-1})^T dP_h
     *                dr = d(r h) * h_{t-1}   dh_{t-1} += d(r h) * r
     *                dR_{z,r} += h_{t-1}^T [dP_z, dP_r]   dh_{t-1} += [dP_z, dP_r] R_{z,r}^T
     *   dP_r = dr * sig'(P_r)      dX = [dP_z, dP_r, dP_h]
     *   dK += x_t^T dX   db += sum_batch dX   dx_t = dX K^T
     * </pre>
     */
    @Override
    public DMatrixRMaj backward(DMatrixRMaj gradOutput) {
        if (gradOutput.numRows != batch || gradOutput.numCols != outputSize()) {
            throw new IllegalArgumentException(name + ": expected dLoss/dOutput [" + batch + ", " + outputSize()
                    + "] for the last forward batch, got [" + gradOutput.numRows + ", " + gradOutput.numCols + "]");
        }
        final int u = units;
        final int u3 = 3 * units;
        gradX.reshape(batch, u3);
        gradI.reshape(batch, u3);
        gradRh.reshape(batch, u);
        gradH.reshape(batch, u);
        gradHPrev.reshape(batch, u);
        gradXt.reshape(batch, features);
        gradInput.reshape(batch, inputSize());
        double[] dh = gradH.data;
        double[] dhPrev = gradHPrev.data;
        double[] dX = gradX.data;
        double[] dI = gradI.data;
        double[] dRh = gradRh.data;
        double[] k = kernel.value().data;
        double[] rk = recurrentKernel.value().data;
        double[] dk = kernel.gradient().data;
        double[] drk = recurrentKernel.gradient().data;
        double[] db = bias.gradient().data;
        gradH.zero();
        if (!returnSequences) {
            System.arraycopy(gradOutput.data, 0, dh, 0, batch * u);
        }
        for (int t = timesteps - 1; t >= 0; t--) {
            if (returnSequences) {
                RecurrentProducts.addStep(gradOutput.data, batch, timesteps, u, t, dh);
            }
            double[] hPrev = h[t].data;
            double[] p = pre[t].data;
            double[] g = gates[t].data;
            double[] ih = inner[t].data;
            for (int r = 0; r < batch; r++) {
                for (int j = 0; j < u; j++) {
                    int s = r * u + j;
                    int zi = r * u3 + j;
                    int hi = r * u3 + 2 * u + j;
                    double z = g[zi];
                    double hh = g[hi];
                    dX[zi] = dh[s] * (hPrev[s] - hh) * recurrentActivation.derivative(p[zi], z);
                    dX[hi] = dh[s] * (1.0 - z) * activation.derivative(p[hi], hh);
                    dhPrev[s] = dh[s] * z;
                }
            }
            if (resetAfter) {
                for (int r = 0; r < batch; r++) {
                    for (int j = 0; j < u; j++) {
                        int ri = r * u3 + u + j;
                        int hi = r * u3 + 2 * u + j;
                        double dr = dX[hi] * ih[r * u + j];
                        dX[ri] = dr * recurrentActivation.derivative(p[ri], g[ri]);
                        dI[r * u3 + j] = dX[r * u3 + j];
                        dI[ri] = dX[ri];
                        dI[hi] = dX[hi] * g[ri];
                    }
                }
                RecurrentProducts.addColumnSumsOfRows(dI, batch, u3, db, u3);
                if (t > 0) {
                    RecurrentProducts.multAddTransA(hPrev, batch, u, dI, u3, 0, u3, drk, u3, 0);
                    RecurrentProducts.multAddTransB(dI, batch, u3, 0, u3, rk, u3, 0, u, dhPrev);
                }
            } else {
                gradRh.zero();
                if (t > 0) {
                    RecurrentProducts.multAddTransB(dX, batch, u3, 2 * u, u, rk, u3, 2 * u, u, dRh);
                    RecurrentProducts.multAddTransA(ih, batch, u, dX, u3, 2 * u, u, drk, u3, 2 * u);
                }
                for (int r = 0; r < batch; r++) {
                    for (int j = 0; j < u; j++) {
                        int s = r * u + j;
                        int ri = r * u3 + u + j;
                        double dr = dRh[s] * hPrev[s];
                        dhPrev[s] += dRh[s] * g[ri];
                        dX[ri] = dr * recurrentActivation.derivative(p[ri], g[ri]);
                    }
                }
                if (t > 0) {
                    RecurrentProducts.multAddTransA(hPrev, batch, u, dX, u3, 0, 2 * u, drk, u3, 0);
                    RecurrentProducts.multAddTransB(dX, batch, u3, 0, 2 * u, rk, u3, 0, u, dhPrev);
                }
            }
            RecurrentProducts.multAddTransA(x[t].data, batch, features, dX, u3, 0, u3, dk, u3, 0);
            RecurrentProducts.addColumnSumsOfRows(dX, batch, u3, db, 0);
            gradXt.zero();
            RecurrentProducts.multAddTransB(dX, batch, u3, 0, u3, k, u3, 0, features, gradXt.data);
            RecurrentProducts.setStep(gradXt.data, batch, timesteps, features, t, gradInput.data);
            System.arraycopy(dhPrev, 0, dh, 0, batch * u);
        }
        return gradInput;
    }

    @Override
    public Gru copy() {
        Gru copy = new Gru(name, units, timesteps, features, activation, recurrentActivation, resetAfter,
                returnSequences);
        copy.kernel.value().setTo(kernel.value());
        copy.recurrentKernel.value().setTo(recurrentKernel.value());
        copy.bias.value().setTo(bias.value());
        return copy;
    }
}
