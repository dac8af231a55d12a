package dev.streamcast.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Keras's {@code Sequential}: layers applied in order, each one's output the next one's input.
 *
 * <p>Shapes are checked once, when the stack is built; the error names the layer and both shapes. Like its
 * layers, a Sequential owns work buffers and serves one thread at a time; {@link #copy()} makes another.
 */
public final class Sequential {

    private final List<Layer> layers;
    private final List<Parameter> parameters;
    // The same as arrays, for the per-call loops.
    private final Layer[] layerArray;
    private final DMatrixRMaj[] gradients;
    // A one-row input buffer so that forecasting one window allocates nothing.
    private final DMatrixRMaj oneInput;

    public Sequential(List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a Sequential model needs at least one layer");
        }
        for (int k = 1; k < layers.size(); k++) {
            Layer previous = layers.get(k - 1);
            Layer layer = layers.get(k);
            if (layer.inputSize() != previous.outputSize()) {
                throw new IllegalArgumentException("layer " + k + " (" + layer.name() + ", " + layer.type()
                        + ") expects input shape (None, " + layer.inputSize() + ") but layer " + (k - 1) + " ("
                        + previous.name() + ") outputs (None, " + previous.outputSize() + ")");
            }
        }
        this.layers = List.copyOf(layers);
        List<Parameter> all = new ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.parameters());
        }
        this.parameters = Collections.unmodifiableList(all);
        this.layerArray = this.layers.toArray(new Layer[0]);
        this.gradients = all.stream().map(Parameter::gradient).toArray(DMatrixRMaj[]::new);
        this.oneInput = new DMatrixRMaj(1, inputSize());
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Every trainable tensor, layer by layer, in Keras's order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    public Parameter parameter(String name) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no parameter named '" + name + "'");
    }

    public long parameterCount() {
        return parameters.stream().mapToLong(Parameter::size).sum();
    }

    public int inputSize() {
        return layers.get(0).inputSize();
    }

    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }

    /** Outputs for a batch [batch, inputSize]; the result is a work buffer valid until the next call. */
    public DMatrixRMaj forward(DMatrixRMaj input) {
        DMatrixRMaj activations = input;
        for (Layer layer : layerArray) {
            activations = layer.forward(activations);
        }
        return activations;
    }

    /** Backpropagates dLoss/dOutput of the last forward batch, adding into every parameter's gradient. */
    public void backward(DMatrixRMaj gradOutput) {
        DMatrixRMaj grad = gradOutput;
        for (int k = layerArray.length - 1; k >= 0; k--) {
            grad = layerArray[k].backward(grad);
        }
    }

    public void zeroGradients() {
        for (DMatrixRMaj gradient : gradients) {
            gradient.zero();
        }
    }

    /** The first output for one input row, without allocating. */
    public double predictOne(double[] input) {
        if (input.length != oneInput.numCols) {
            throw new IllegalArgumentException("expected an input of " + oneInput.numCols + " values, got "
                    + input.length);
        }
        System.arraycopy(input, 0, oneInput.data, 0, input.length);
        return forward(oneInput).data[0];
    }

    /** A copy with the same weights and its own work buffers. */
    public Sequential copy() {
        List<Layer> copies = new ArrayList<>(layers.size());
        for (Layer layer : layers) {
            copies.add(layer.copy());
        }
        return new Sequential(copies);
    }

    /** Copies every weight of {@code other}, which must have the same architecture. */
    public void setWeights(Sequential other) {
        if (other.parameters.size() != parameters.size()) {
            throw new IllegalArgumentException("cannot copy weights between different architectures");
        }
        for (int k = 0; k < parameters.size(); k++) {
            DMatrixRMaj from = other.parameters.get(k).value();
            DMatrixRMaj to = parameters.get(k).value();
            if (from.numRows != to.numRows || from.numCols != to.numCols) {
                throw new IllegalArgumentException(parameters.get(k).name() + ": shape [" + to.numRows + ", "
                        + to.numCols + "] differs from [" + from.numRows + ", " + from.numCols + "]");
            }
            to.setTo(from);
        }
    }
}
