package dev.streamcast.nn;

import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A layer maps a batch of inputs, one row per sample, to a batch of outputs.
 *
 * <p>Shapes: input [batch, inputSize], output [batch, outputSize]. A sequence input of T time steps with F
 * features per step is one row of T*F values, time-major (step 0's features first).
 *
 * <p>Every layer is a forward/backward pair: {@link #forward} keeps what {@link #backward} needs, and backward
 * <em>adds</em> into the parameters' gradients. The matrices returned are the layer's own work buffers, reused
 * by the next call; a layer is therefore not safe for use by two threads at once.
 */
public interface Layer {

    /** Keras-style name, e.g. {@code lstm} or {@code dense_1}; prefixes the parameter names. */
    String name();

    /** The layer type as the model document spells it: {@code lstm} or {@code dense}. */
    String type();

    int inputSize();

    int outputSize();

    /** The trainable tensors, in Keras's order (kernel, recurrent kernel, bias). */
    List<Parameter> parameters();

    default long parameterCount() {
        return parameters().stream().mapToLong(Parameter::size).sum();
    }

    /** Computes the outputs for a batch; the returned matrix is valid until the next call. */
    DMatrixRMaj forward(DMatrixRMaj input);

    /**
     * Given dLoss/dOutput for the batch last passed to {@link #forward}, adds dLoss/dWeights into the
     * gradients and returns dLoss/dInput (valid until the next call).
     */
    DMatrixRMaj backward(DMatrixRMaj gradOutput);

    /** A copy with the same weights and fresh work buffers, for use on another thread. */
    Layer copy();
}
