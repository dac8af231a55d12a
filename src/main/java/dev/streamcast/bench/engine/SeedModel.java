package dev.streamcast.bench.engine;

import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.TrainingSet;
import java.nio.charset.StandardCharsets;

/**
 * The model the engine benchmarks time, the project's seed example: {@code LSTM(10, activation='relu',
 * input_shape=(3,1))} then Dense(5), Dense(3), Dense(1), fitted on the windows of the series 1..7.
 *
 * <p>Main code, not a test fixture: {@link Benchmarks}, which {@code streamcast bench model} runs from the jar, build
 * their state from it. The tests of this package use it too; nothing outside the package does.
 */
final class SeedModel {

    /** The seed's architecture as a model document, without weights: reading it gives Keras's initialisation. */
    static final String ARCHITECTURE = "{\"format\":\"streamcast-model/1\",\"modelId\":\"seed\","
            + "\"windowLength\":3,\"scaling\":{\"kind\":\"none\"},\"layers\":["
            + "{\"type\":\"lstm\",\"units\":10,\"activation\":\"relu\",\"recurrentActivation\":\"sigmoid\","
            + "\"inputShape\":[3,1]},{\"type\":\"dense\",\"units\":5},"
            + "{\"type\":\"dense\",\"units\":3},{\"type\":\"dense\",\"units\":1}]}";

    /** The seed's series; its windows of 3 are x = [[1,2,3],[2,3,4],[3,4,5],[4,5,6]], y = [4,5,6,7]. */
    private static final double[] SERIES = {1, 2, 3, 4, 5, 6, 7};

    static final int WINDOW_LENGTH = 3;

    private SeedModel() {
    }

    /** The seed model with Keras's initialisation from {@code seed}. */
    static Forecaster forecaster(long seed) {
        return ModelCodec.decode(ARCHITECTURE.getBytes(StandardCharsets.UTF_8), seed);
    }

    /** The seed's training data: the four windows of 1..7 and their next values. */
    static TrainingSet trainingSet() {
        return TrainingSet.windows(SERIES, WINDOW_LENGTH);
    }
}
