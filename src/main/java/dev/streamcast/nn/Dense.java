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
        // z = x W + b, row by row: z[r,j] = x[r,0] W[0,j] + x[r,1] W[1,j] + ... + x[r,in-1] W[in-1,j] + b[j]
        double[] in = x.data;
        double[] w = kernel.value().data;
        double[] b = bias.value().data;
        double[] z = preActivation.data;
        for (int r = 0; r < batch; r++) {
            int xRow = r * inputSize;
            int zRow = r * units;
            for (int j = 0; j < units; j++) {
                double sum = in[xRow] * w[j];
                for (int k = 1; k < inputSize; k++) {
                    sum += in[xRow + k] * w[k * units + j];
                }
                z[zRow + j] = sum + b[j];
            }
        }
        // y = act(z)
        activation.apply(z, 0, output.data, 0, batch * units);
        return output;
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj gradOutput) {
        int batch = gradOutput.numRows;
        if (batch != preActivation.numRows || gradOutput.numCols != units) {
            throw new IllegalArgumentException(name + ": expected dLoss/dOutput [" + preActivation.numRows + ", "
                    + units + "] for the last forward batch, got [" + gradOutput.numRows + ", "
                    + gradOutput.numCols + "]");
        }
        gradPre.reshape(batch, units);
        gradInput.reshape(batch, inputSize);
        // dz = dy * act'(z)
        double[] dy = gradOutput.data;
        double[] dz = gradPre.data;
        double[] z = preActivation.data;
        double[] y = output.data;
        for (int k = 0; k < batch * units; k++) {
            dz[k] = dy[k] * activation.derivative(z[k], y[k]);
        }
        double[] db = bias.gradient().data;
        if (batch == 1) {
            // one sample: dW[k,:] += x[k] dz ; db += dz ; dx[k] = W[k,:] . dz
            double[] x = input.data;
            double[] w = kernel.value().data;
            double[] dw = kernel.gradient().data;
            double[] dx = gradInput.data;
            for (int k = 0; k < inputSize; k++) {
                double xk = x[k];
                int row = k * units;
                double dot = 0;
                for (int j = 0; j < units; j++) {
                    dw[row + j] += xk * dz[j];
                    dot += dz[j] * w[row + j];
                }
                dx[k] = dot;
            }
            for (int j = 0; j < units; j++) {
                db[j] += dz[j];
            }
            return gradInput;
        }
        // dW += x^T dz ; db += sum over the batch of dz
        CommonOps_DDRM.multAddTransA(input, gradPre, kernel.gradient());
        for (int r = 0; r < batch; r++) {
            for (int j = 0; j < units; j++) {
                db[j] += dz[r * units + j];
            }
        }
        // dx = dz W^T
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
