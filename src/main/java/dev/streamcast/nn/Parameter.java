package dev.streamcast.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * One trainable weight tensor of a layer and the gradient of the loss with respect to it, both in Keras's
 * layout. Backward passes add into {@link #gradient()}; the optimizer reads it and {@link Sequential#zeroGradients()}
 * clears it.
 *
 * @param name Keras-style name, e.g. {@code lstm.kernel} or {@code dense1.bias}
 */
public record Parameter(String name, DMatrixRMaj value, DMatrixRMaj gradient) {

    static Parameter of(String name, int rows, int cols) {
        return new Parameter(name, new DMatrixRMaj(rows, cols), new DMatrixRMaj(rows, cols));
    }

    /**
     * The Keras shape: a bias is a vector [n] (a GRU's with reset_after a matrix [2, n]), everything else a matrix
     * [rows, cols].
     */
    public int[] kerasShape() {
        return isVector() && value.numRows == 1 ? new int[] {value.numCols} : new int[] {value.numRows, value.numCols};
    }

    /** Biases are stored as one-row matrices (a GRU's with reset_after two rows) but are vectors in Keras. */
    public boolean isVector() {
        return name.endsWith(".bias");
    }

    public int size() {
        return value.getNumElements();
    }
}
