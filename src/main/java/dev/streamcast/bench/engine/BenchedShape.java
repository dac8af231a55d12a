package dev.streamcast.bench.engine;

import dev.streamcast.model.Forecaster;

/**
 * What a run of {@link Benchmarks} timed: the model's name, its input of {@code windowLength} steps of
 * {@code features} numbers, and its parameter count. The figures' targets are the seed's; another model's figures
 * are reported without them.
 *
 * @param name         "seed", or the model document's file name and model id
 * @param seed         whether it is the seed model
 * @param windowLength steps per window (T)
 * @param features     numbers per step (F)
 * @param parameters   trainable numbers of the network
 */
public record BenchedShape(String name, boolean seed, int windowLength, int features, long parameters) {

    /** The seed: LSTM(10, relu) on (3, 1), Dense(5), Dense(3), Dense(1). */
    public static final BenchedShape SEED = of("seed", true, SeedModel.forecaster(Benchmarks.SEED));

    /** The shape of {@code forecaster}'s model, named {@code name}. */
    public static BenchedShape of(String name, boolean seed, Forecaster forecaster) {
        return new BenchedShape(name, seed, forecaster.windowLength(), forecaster.features().count(),
                forecaster.network().parameterCount());
    }
}
