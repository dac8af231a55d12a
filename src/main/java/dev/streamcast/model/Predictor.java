package dev.streamcast.model;

import dev.streamcast.nn.Sequential;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * A trained model run on inputs of its own shape, as Keras's {@code model.predict} runs it: for {@code streamcast
 * predict}, and for any model, also one the stream cannot feed (several features per step, several outputs).
 *
 * <p>The document's scaling is applied around the network: kind columns scales each feature of each step and maps
 * every output back through the target's inverse; kind none feeds the raw numbers; the stream's kinds (sensor,
 * window, standard) scale a window of single readings in the context the window alone gives, as
 * {@link Forecaster#forecast(double[])} does.
 */
public final class Predictor {

    private final int[] inputShape;
    private final Sequential network;
    private final Scaling scaling;
    private final double[] scaled;
    // Several features per step under a stream kind of scaling (the stream's own wide models), else null.
    private final Features features;

    Predictor(int[] inputShape, Sequential network, Scaling scaling) {
        this(inputShape, network, scaling, null);
    }

    Predictor(int[] inputShape, Sequential network, Scaling scaling, Features features) {
        this.inputShape = inputShape.clone();
        this.network = network;
        this.scaling = scaling;
        this.scaled = new double[network.inputSize()];
        this.features = features;
    }

    /** The input shape, as Keras gives it without the batch: [timesteps, features] or [features]. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The number of values one input holds: the product of the input shape. */
    public int inputSize() {
        return network.inputSize();
    }

    public int outputSize() {
        return network.outputSize();
    }

    public Sequential network() {
        return network;
    }

    public Scaling scaling() {
        return scaling;
    }

    /** The outputs for one input of {@link #inputSize()} values, time-major (step 0's features first). */
    public double[] predict(double[] input) {
        if (input.length != scaled.length) {
            throw new IllegalArgumentException("expected an input of " + scaled.length + " values (shape "
                    + Arrays.toString(inputShape) + "), got " + input.length);
        }
        int n = input.length;
        double level = 0;
        double stepRms = 0;
        if (features != null) {
            // Raw features per step (Features): the values give the context and scale as the stream scales them.
            int w = n / features.count();
            double[] values = new double[w];
            features.valueWindow(input, 0, w, values);
            level = SensorStats.levelOf(values, 0, w);
            stepRms = SensorStats.stepRmsOf(values, 0, w);
            features.scaleRow(scaling, input, 0, w, level, stepRms, values, scaled, 0);
            double output = network.forward(new DMatrixRMaj(1, n, true, scaled)).data[0];
            return new double[] {scaling.unscale(values, 0, w, level, stepRms, output)};
        }
        if (scaling instanceof Scaling.Columns columns) {
            columns.columns().scaleInput(input, scaled);
        } else {
            level = SensorStats.levelOf(input, 0, n);
            stepRms = SensorStats.stepRmsOf(input, 0, n);
            scaling.scaleWindow(input, 0, n, level, stepRms, scaled, 0);
        }
        double[] out = network.forward(new DMatrixRMaj(1, n, true, scaled)).data.clone();
        for (int k = 0; k < out.length; k++) {
            out[k] = scaling.unscale(input, 0, n, level, stepRms, out[k]);
        }
        return out;
    }
}
