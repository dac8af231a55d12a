package dev.streamcast.stream;

import dev.streamcast.nn.Layer;
import dev.streamcast.nn.Parameter;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A network layer whose forward pass throws: the failure injected into a forecaster, so that a reading fails half
 * way through the reading processor (after it scored the reading, before it forecast), as a bug there would.
 */
final class FailingLayer implements Layer {

    static final String MESSAGE = "injected failure in the forward pass";

    private final int inputSize;

    FailingLayer(int inputSize) {
        this.inputSize = inputSize;
    }

    @Override
    public String name() {
        return "failing";
    }

    @Override
    public String type() {
        return "dense";
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj input) {
        throw new IllegalStateException(MESSAGE);
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj gradOutput) {
        throw new IllegalStateException(MESSAGE);
    }

    @Override
    public Layer copy() {
        return this;
    }
}
