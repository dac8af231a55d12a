package dev.streamcast.nn;

import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Keras's {@code Dropout(rate)} as Keras runs it at inference: the identity. It is kept in the network so that an
 * imported model keeps its layers and their names; training here does not drop units either (the stream retrains on
 * few samples at a time, where the noise would cost more than it regularises).
 */
public final class Dropout implements Layer {

    private final String name;
    private final int size;
    private final double rate;

    public Dropout(String name, int size, double rate) {
        if (size < 1 || !(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(name + ": size must be positive and rate in [0, 1), got size=" + size
                    + ", rate=" + rate);
        }
        this.name = name;
        this.size = size;
        this.rate = rate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "dropout";
    }

    public double rate() {
        return rate;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj input) {
        if (input.numCols != size) {
            throw new IllegalArgumentException(name + ": expected input [batch, " + size + "], got ["
                    + input.numRows + ", " + input.numCols + "]");
        }
        return input;
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj gradOutput) {
        return gradOutput;
    }

    @Override
    public Dropout copy() {
        return new Dropout(name, size, rate);
    }
}
