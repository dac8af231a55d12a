package dev.streamcast.model;

import dev.streamcast.nn.Sequential;
import org.ejml.data.DMatrixRMaj;

/**
 * A model ready to forecast: the network, how readings are scaled for it, the window length, what each step of the
 * window carries ({@link Features}: the value alone, or a row of raw features per step), and the identity of this
 * model version.
 *
 * <p>The weights never change after construction (training works on a copy). Forecasting reuses work buffers,
 * so a Forecaster serves one thread at a time; {@link #copy()} gives another thread its own.
 */
public final class Forecaster {

    private final String modelId;
    private final long version;
    private final String createdAt;
    private final int windowLength;
    private final Features features;
    private final Scaling scaling;
    private final Sequential network;
    private final ModelDocument.TrainingInfo training;
    private final double[] scaled;
    // The value of each step of a wider row (features beyond the value alone).
    private final double[] values;
    private final DMatrixRMaj batchInput;

    /** A forecaster fed the value alone at each step ({@link Features#VALUE}). */
    public Forecaster(String modelId, long version, String createdAt, int windowLength, Scaling scaling,
                      Sequential network, ModelDocument.TrainingInfo training) {
        this(modelId, version, createdAt, windowLength, Features.VALUE, scaling, network, training);
    }

    /** A forecaster fed {@code features} at each step: rows of windowLength x features.count() raw numbers. */
    public Forecaster(String modelId, long version, String createdAt, int windowLength, Features features,
                      Scaling scaling, Sequential network, ModelDocument.TrainingInfo training) {
        if (network.inputSize() != windowLength * features.count()) {
            throw new IllegalArgumentException("window length " + windowLength
                    + (features.isValueOnly() ? "" : " x " + features.count() + " features")
                    + " does not match the network's input of " + network.inputSize() + " values");
        }
        if (network.outputSize() != 1) {
            throw new IllegalArgumentException("a forecaster's network must output 1 value, this one outputs "
                    + network.outputSize());
        }
        this.modelId = modelId;
        this.version = version;
        this.createdAt = createdAt;
        this.windowLength = windowLength;
        this.features = features;
        this.scaling = scaling;
        this.network = network;
        this.training = training;
        this.scaled = new double[windowLength * features.count()];
        this.values = new double[windowLength];
        this.batchInput = new DMatrixRMaj(1, windowLength);
    }

    /**
     * The forecast of the value after {@code window} (oldest first, exactly windowLength values), for a sensor whose
     * whole history is this window.
     */
    public double forecast(double[] window) {
        if (window.length != rowSize()) {
            throw new IllegalArgumentException("expected a window of " + rowSize() + " values, got "
                    + window.length);
        }
        return forecast(window, 0);
    }

    /**
     * The forecast for the window of windowLength values of {@code values} from {@code offset}, with no sensor
     * history beyond it: its context is what the window alone says ({@link SensorStats#levelOf},
     * {@link SensorStats#stepRmsOf}). Allocates nothing.
     */
    public double forecast(double[] values, int offset) {
        if (!features.isValueOnly()) {
            features.valueWindow(values, offset, windowLength, this.values);
            return forecast(values, offset, SensorStats.levelOf(this.values, 0, windowLength),
                    SensorStats.stepRmsOf(this.values, 0, windowLength));
        }
        return forecast(values, offset, SensorStats.levelOf(values, offset, windowLength),
                SensorStats.stepRmsOf(values, offset, windowLength));
    }

    /**
     * The forecast for the window of windowLength values of {@code values} from {@code offset} of a sensor whose
     * running {@code level} and {@code stepRms} ({@link SensorStats}, after the window's last reading) are given.
     * Allocates nothing.
     */
    public double forecast(double[] values, int offset, double level, double stepRms) {
        if (!features.isValueOnly()) {
            // A row of windowLength steps of features.count() raw numbers (Features): its values scale and
            // unscale as a window of single readings does.
            features.valueWindow(values, offset, windowLength, this.values);
            features.scaleRow(scaling, values, offset, windowLength, level, stepRms, this.values, scaled, 0);
            double output = network.predictOne(scaled);
            return scaling.unscale(this.values, 0, windowLength, level, stepRms, output);
        }
        scaling.scaleWindow(values, offset, windowLength, level, stepRms, scaled, 0);
        double output = network.predictOne(scaled);
        return scaling.unscale(values, offset, windowLength, level, stepRms, output);
    }

    /** The forecast of the value after the last windowLength readings of a sensor with these statistics. */
    public double forecast(double[] window, SensorStats stats) {
        if (window.length != rowSize()) {
            throw new IllegalArgumentException("expected a window of " + rowSize() + " values, got "
                    + window.length);
        }
        return forecast(window, 0, stats.level(), stats.stepRms());
    }

    /**
     * Forecasts {@code count} windows stored end to end in {@code windows} (window k at k * windowLength) in one
     * pass of the network, writing forecast k to {@code out[k]}, each window's context being what it alone says.
     * Gives the same numbers as one at a time.
     */
    public void forecastBatch(double[] windows, int count, double[] out) {
        forecastBatch(windows, null, null, count, out);
    }

    /**
     * As {@link #forecastBatch(double[], int, double[])}, window k in the context {@code levels[k]},
     * {@code stepRms[k]} of its sensor ({@link SensorStats}); null arrays: each window's own.
     */
    public void forecastBatch(double[] windows, double[] levels, double[] stepRms, int count, double[] out) {
        if (!features.isValueOnly()) {
            throw new IllegalArgumentException("a batch of windows takes one value per step; this model takes "
                    + features);
        }
        if (windows.length < count * windowLength || out.length < count) {
            throw new IllegalArgumentException("a batch of " + count + " windows needs " + count * windowLength
                    + " values and room for " + count + " forecasts; got " + windows.length + " and " + out.length);
        }
        if ((levels == null) != (stepRms == null)
                || levels != null && (levels.length < count || stepRms.length < count)) {
            throw new IllegalArgumentException("a batch of " + count + " windows needs " + count
                    + " levels and step RMS values or neither");
        }
        batchInput.reshape(count, windowLength);
        for (int k = 0; k < count; k++) {
            int at = k * windowLength;
            scaling.scaleWindow(windows, at, windowLength, level(windows, at, levels, k),
                    stepRms(windows, at, stepRms, k), batchInput.data, at);
        }
        DMatrixRMaj outputs = network.forward(batchInput);
        for (int k = 0; k < count; k++) {
            int at = k * windowLength;
            out[k] = scaling.unscale(windows, at, windowLength, level(windows, at, levels, k),
                    stepRms(windows, at, stepRms, k), outputs.data[k]);
        }
    }

    private double level(double[] windows, int at, double[] levels, int k) {
        return levels != null ? levels[k] : SensorStats.levelOf(windows, at, windowLength);
    }

    private double stepRms(double[] windows, int at, double[] stepRms, int k) {
        return stepRms != null ? stepRms[k] : SensorStats.stepRmsOf(windows, at, windowLength);
    }

    /** A forecaster with the same model and its own work buffers, for another thread. */
    public Forecaster copy() {
        return new Forecaster(modelId, version, createdAt, windowLength, features, scaling, network.copy(), training);
    }

    /** The same weights under a new identity, e.g. a challenger published as the next version. */
    public Forecaster withIdentity(String newModelId, long newVersion, String newCreatedAt,
                                   ModelDocument.TrainingInfo newTraining) {
        return new Forecaster(newModelId, newVersion, newCreatedAt, windowLength, features, scaling, network.copy(),
                newTraining);
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

    /** What each step of the window carries ({@link Features#VALUE}: the reading alone). */
    public Features features() {
        return features;
    }

    /** The numbers of one input row: windowLength x features.count(). */
    public int rowSize() {
        return windowLength * features.count();
    }

    /** The {@link TrainingSet} rows of this model's input, empty. */
    public TrainingSet newTrainingSet(int capacity) {
        return new TrainingSet(windowLength, features, capacity);
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
