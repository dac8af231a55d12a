package dev.streamcast.model;

import dev.streamcast.nn.Sequential;
import org.ejml.data.DMatrixRMaj;

/**
 * A model ready to forecast: the network, how readings are scaled for it, the window length, and the identity
 * of this model version.
 *
 * <p>The weights never change after construction (training works on a copy). Forecasting reuses work buffers,
 * so a Forecaster serves one thread at a time; {@link #copy()} gives another thread its own.
 */
public final class Forecaster {

    private final String modelId;
    private final long version;
    private final String createdAt;
    private final int windowLength;
    private final Scaling scaling;
    private final Sequential network;
    private final ModelDocument.TrainingInfo training;
    private final double[] scaled;
    private final DMatrixRMaj batchInput;

    public Forecaster(String modelId, long version, String createdAt, int windowLength, Scaling scaling,
                      Sequential network, ModelDocument.TrainingInfo training) {
        if (network.inputSize() != windowLength) {
            throw new IllegalArgumentException("window length " + windowLength + " does not match the network's input of "
                    + network.inputSize() + " values");
        }
        if (network.outputSize() != 1) {
            throw new IllegalArgumentException("a forecaster's network must output 1 value, this one outputs "
                    + network.outputSize());
        }
        this.modelId = modelId;
        this.version = version;
        this.createdAt = createdAt;
        this.windowLength = windowLength;
        this.scaling = scaling;
        this.network = network;
        this.training = training;
        this.scaled = new double[windowLength];
        this.batchInput = new DMatrixRMaj(1, windowLength);
    }

    /** The forecast of the value after {@code window} (oldest first, exactly windowLength values). */
    public double forecast(double[] window) {
        if (window.length != windowLength) {
            throw new IllegalArgumentException("expected a window of " + windowLength + " values, got " + window.length);
        }
        return forecast(window, 0);
    }

    /** The forecast for the window of windowLength values of {@code values} from {@code offset}; allocates nothing. */
    public double forecast(double[] values, int offset) {
        scaling.scaleWindow(values, offset, windowLength, scaled, 0);
        double output = network.predictOne(scaled);
        return scaling.unscale(values, offset, windowLength, output);
    }

    /**
     * Forecasts {@code count} windows stored end to end in {@code windows} (window k at k * windowLength) in one
     * pass of the network, writing forecast k to {@code out[k]}. Gives the same numbers as one at a time.
     */
    public void forecastBatch(double[] windows, int count, double[] out) {
        if (windows.length < count * windowLength || out.length < count) {
            throw new IllegalArgumentException("a batch of " + count + " windows needs " + count * windowLength
                    + " values and room for " + count + " forecasts; got " + windows.length + " and " + out.length);
        }
        batchInput.reshape(count, windowLength);
        for (int k = 0; k < count; k++) {
            scaling.scaleWindow(windows, k * windowLength, windowLength, batchInput.data, k * windowLength);
        }
        DMatrixRMaj outputs = network.forward(batchInput);
        for (int k = 0; k < count; k++) {
            out[k] = scaling.unscale(windows, k * windowLength, windowLength, outputs.data[k]);
        }
    }

    /** A forecaster with the same model and its own work buffers, for another thread. */
    public Forecaster copy() {
        return new Forecaster(modelId, version, createdAt, windowLength, scaling, network.copy(), training);
    }

    /** The same weights under a new identity, e.g. a challenger published as the next version. */
    public Forecaster withIdentity(String newModelId, long newVersion, String newCreatedAt,
                                   ModelDocument.TrainingInfo newTraining) {
        return new Forecaster(newModelId, newVersion, newCreatedAt, windowLength, scaling, network.copy(), newTraining);
    }

    public String modelId() {
        return modelId;
    }

    public long version() {
        return version;
    }

    public String createdAt() {
        return createdAt;
    }

    public int windowLength() {
        return windowLength;
    }

    public Scaling scaling() {
        return scaling;
    }

    /** The network itself; callers must not change its weights (copy it to train). */
    public Sequential network() {
        return network;
    }

    public ModelDocument.TrainingInfo training() {
        return training;
    }
}
