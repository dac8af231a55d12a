package dev.streamcast.nn;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Keras's {@code Dense(units, activation)}: y = act(x W + b).
 *
 * <p>Shapes: x [batch, in], W "kernel" [in, units], b "bias" [units], y [batch, units].
 */
public final class Dense implements Layer {

    private final String name;
    private final int inputSize;
    private final int units;
    private final Activation activation;
    private final Parameter kernel;
    private final Parameter bias;

    // Work buffers, reshaped (not reallocated) when the batch size changes.
    private DMatrixRMaj input;
    private final DMatrixRMaj preActivation = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj output = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj gradPre = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj gradInput = new DMatrixRMaj(1, 1);

    public Dense(String name, int inputSize, int units, Activation activation) {
        if (inputSize < 1 || units < 1) {
            throw new IllegalArgumentException(name + ": inputSize and units must be positive, got inputSize="
                    + inputSize + ", units=" + units);
        }
        this.name = name;
        this.inputSize = inputSize;
        this.units = units;
        this.activation = activation;
        this.kernel = Parameter.of(name + ".kernel", inputSize, units);
        this.bias = Parameter.of(name + ".bias", 1, units);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "dense";
    }

    public int units() {
        return units;
    }

    public Activation activation() {
        return activation;
    }

    public Parameter kernel() {
        return kernel;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int outputSize() {
        return units;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(kernel, bias);
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj x) {
        if (x.numCols != inputSize) {
            throw new IllegalArgumentException(name + ": expected input [batch, " + inputSize + "], got ["
                    + x.numRows + ", " + x.numCols + "]");
        }
        int batch = x.numRows;
        input = x;
        preActivation.reshape(batch, units);
        output.reshape(batch, units);
        // z = x W + b
        CommonOps_DDRM.mult(x, kernel.value(), preActivation);
        double[] z = preActivation.data;
        double[] b = bias.value().data;
        for (int r = 0; r < batch; r++) {
            int row = r * units;
            for (int j = 0; j < units; j++) {
                z[row + j] += b[j];
            }
        }
        // y = act(z)
        activation.apply(z, 0, output.data, 0, batch * units);
        return output;
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj gradOutput) {
        int batch = gradOutput.numRows;
        gradPre.reshape(batch, units);
        // dz = dy * act'(z)
        double[] dy = gradOutput.data;
        double[] dz = gradPre.data;
        double[] z = preActivation.data;
        double[] y = output.data;
        for (int k = 0; k < batch * units; k++) {
            dz[k] = dy[k] * activation.derivative(z[k], y[k]);
        }
        // dW += x^T dz ; db += sum over the batch of dz
        CommonOps_DDRM.multAddTransA(input, gradPre, kernel.gradient());
        double[] db = bias.gradient().data;
        for (int r = 0; r < batch; r++) {
            for (int j = 0; j < units; j++) {
                db[j] += dz[r * units + j];
            }
        }
        // dx = dz W^T
        gradInput.reshape(batch, inputSize);
        CommonOps_DDRM.multTransB(gradPre, kernel.value(), gradInput);
        return gradInput;
    }

    @Override
    public Dense copy() {
        Dense copy = new Dense(name, inputSize, units, activation);
        copy.kernel.value().setTo(kernel.value());
        copy.bias.value().setTo(bias.value());
        return copy;
    }
}
