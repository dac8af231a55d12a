package dev.streamcast.nn;

import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Keras's {@code SimpleRNN(units, activation, return_sequences)}.
 *
 * <p>Shapes (B batch, T time steps, F features, U units): input [B, T*F] (time-major rows), kernel K [F, U],
 * recurrent kernel R [U, U], bias b [U]; output h_T [B, U], or with returnSequences every h_t, [B, T*U] time-major.
 * Per step t, with h_0 = 0:
 * <pre>
 *   a_t = x_t K + h_{t-1} R + b
 *   h_t = act(a_t)
 * </pre>
 */
public final class SimpleRnn implements Layer {

    private final String name;
    private final int units;
    private final int timesteps;
    private final int features;
    private final Activation activation;
    private final boolean returnSequences;
    private final Parameter kernel;
    private final Parameter recurrentKernel;
    private final Parameter bias;

    // Per-step caches for backpropagation through time; index t+1 of h holds h_t, h[0] = 0.
    private final DMatrixRMaj[] x;  // [B, F]
    private final DMatrixRMaj[] a;  // [B, U]
    private final DMatrixRMaj[] h;  // [B, U]
    private final DMatrixRMaj output = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj gradA = new DMatrixRMaj(1, 1);      // [B, U]
    private final DMatrixRMaj gradH = new DMatrixRMaj(1, 1);      // [B, U]
    private final DMatrixRMaj gradXt = new DMatrixRMaj(1, 1);     // [B, F]
    private final DMatrixRMaj gradInput = new DMatrixRMaj(1, 1);  // [B, T*F]
    private int batch = -1;

    public SimpleRnn(String name, int units, int timesteps, int features, Activation activation,
                     boolean returnSequences) {
        if (units < 1 || timesteps < 1 || features < 1) {
            throw new IllegalArgumentException(name + ": units, timesteps and features must be positive, got units="
                    + units + ", inputShape=[" + timesteps + ", " + features + "]");
        }
        this.name = name;
        this.units = units;
        this.timesteps = timesteps;
        this.features = features;
        this.activation = activation;
        this.returnSequences = returnSequences;
        kernel = Parameter.of(name + ".kernel", features, units);
        recurrentKernel = Parameter.of(name + ".recurrent_kernel", units, units);
        bias = Parameter.of(name + ".bias", 1, units);
        x = new DMatrixRMaj[timesteps];
        a = new DMatrixRMaj[timesteps];
        h = new DMatrixRMaj[timesteps + 1];
        for (int t = 0; t < timesteps; t++) {
            x[t] = new DMatrixRMaj(1, features);
            a[t] = new DMatrixRMaj(1, units);
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
        return "simple_rnn";
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
            x[t].reshape(batch, features);
            a[t].reshape(batch, units);
        }
        for (int t = 0; t <= timesteps; t++) {
            h[t].reshape(batch, units);
        }
        h[0].zero();
        output.reshape(batch, outputSize());
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj input) {
        if (input.numCols != inputSize()) {
            throw new IllegalArgumentException(name + ": expected input [batch, " + timesteps + "*" + features
                    + "], got [" + input.numRows + ", " + input.numCols + "]");
        }
        resize(input.numRows);
        double[] k = kernel.value().data;
        double[] rk = recurrentKernel.value().data;
        double[] b = bias.value().data;
        for (int t = 0; t < timesteps; t++) {
            RecurrentProducts.stepOf(input.data, batch, timesteps, features, t, x[t].data);
            // a_t = x_t K + h_{t-1} R + b (no h_{t-1} R at t = 0, where h_0 = 0)
            double[] at = a[t].data;
            for (int r = 0; r < batch; r++) {
                System.arraycopy(b, 0, at, r * units, units);
            }
            RecurrentProducts.multAdd(x[t].data, batch, features, k, units, 0, units, at, units, 0);
            if (t > 0) {
                RecurrentProducts.multAdd(h[t].data, batch, units, rk, units, 0, units, at, units, 0);
            }
            activation.apply(at, 0, h[t + 1].data, 0, batch * units);
            if (returnSequences) {
                RecurrentProducts.setStep(h[t + 1].data, batch, timesteps, units, t, output.data);
            }
        }
        if (!returnSequences) {
            System.arraycopy(h[timesteps].data, 0, output.data, 0, batch * units);
        }
        return output;
    }

    /**
     * Backpropagation through time, t = T-1 .. 0, dh = dLoss/dh_t (plus the output's gradient at step t with
     * returnSequences):
     * <pre>
     *   da = dh * act'(a_t)
     *   dK += x_t^T da   dR += h_{t-1}^T da   db += sum_batch da
     *   dx_t = da K^T    dh_{t-1} = da R^T
     * </pre>
     */
    @Override
    public DMatrixRMaj backward(DMatrixRMaj gradOutput) {
        if (gradOutput.numRows != batch || gradOutput.numCols != outputSize()) {
            throw new IllegalArgumentException(name + ": expected dLoss/dOutput [" + batch + ", " + outputSize()
                    + "] for the last forward batch, got [" + gradOutput.numRows + ", " + gradOutput.numCols + "]");
        }
        int n = batch * units;
        gradA.reshape(batch, units);
        gradH.reshape(batch, units);
        gradXt.reshape(batch, features);
        gradInput.reshape(batch, inputSize());
        double[] dh = gradH.data;
        double[] da = gradA.data;
        gradH.zero();
        if (!returnSequences) {
            System.arraycopy(gradOutput.data, 0, dh, 0, n);
        }
        double[] k = kernel.value().data;
        double[] rk = recurrentKernel.value().data;
        for (int t = timesteps - 1; t >= 0; t--) {
            if (returnSequences) {
                RecurrentProducts.addStep(gradOutput.data, batch, timesteps, units, t, dh);
            }
            double[] at = a[t].data;
            double[] ht = h[t + 1].data;
            for (int s = 0; s < n; s++) {
                da[s] = dh[s] * activation.derivative(at[s], ht[s]);
            }
            RecurrentProducts.multAddTransA(x[t].data, batch, features, da, units, 0, units, kernel.gradient().data,
                    units, 0);
            RecurrentProducts.addColumnSumsOfRows(da, batch, units, bias.gradient().data, 0);
            gradXt.zero();
            RecurrentProducts.multAddTransB(da, batch, units, 0, units, k, units, 0, features, gradXt.data);
            RecurrentProducts.setStep(gradXt.data, batch, timesteps, features, t, gradInput.data);
            gradH.zero();
            if (t > 0) {  // h_0 = 0 is no weight's input
                RecurrentProducts.multAddTransA(h[t].data, batch, units, da, units, 0, units,
                        recurrentKernel.gradient().data, units, 0);
                RecurrentProducts.multAddTransB(da, batch, units, 0, units, rk, units, 0, units, dh);
            }
        }
        return gradInput;
    }

    @Override
    public SimpleRnn copy() {
        SimpleRnn copy = new SimpleRnn(name, units, timesteps, features, activation, returnSequences);
        copy.kernel.value().setTo(kernel.value());
        copy.recurrentKernel.value().setTo(recurrentKernel.value());
        copy.bias.value().setTo(bias.value());
        return copy;
    }
}
