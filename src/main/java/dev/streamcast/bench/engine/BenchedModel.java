package dev.streamcast.bench.engine;

import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model a run of {@link Benchmarks} times: the seed ({@link SeedModel}), or the model document the system
 * property {@value #PROPERTY} names. {@link BenchmarkRunner} sets that property on JMH's forked JVM, where the
 * benchmarks' state is built, so the benchmark methods are the same code for every model.
 */
final class BenchedModel {

    /** The model document's path; unset or empty: the seed. */
    static final String PROPERTY = "streamcast.bench.model";

    private BenchedModel() {
    }

    /** Whether this JVM times the seed. */
    static boolean isSeed() {
        String file = System.getProperty(PROPERTY);
        return file == null || file.isEmpty();
    }

    /**
     * The timed model: the seed with Keras's initialisation from {@code seed}, or the document's; a document
     * without weights (an architecture) gets Keras's initialisation too, which does not change its cost.
     */
    static Forecaster forecaster(long seed) {
        if (isSeed()) {
            return SeedModel.forecaster(seed);
        }
        Path file = Path.of(System.getProperty(PROPERTY));
        try {
            return ModelCodec.toForecaster(ModelCodec.parse(Files.readAllBytes(file)), seed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the benchmarked model " + file, e);
        }
    }
}
