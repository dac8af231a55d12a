package dev.streamcast.stream;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.TrainingOptions;
import dev.streamcast.model.TrainingSet;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One throw-away retraining on a synthetic series, run on the training thread as the service starts, so that the JIT
 * has compiled the training path before the stream's first real retraining.
 *
 * <p>Why: in a fresh JVM the first retrainings ran 4 to 15 times slower per sample than the same retrainings a few
 * seconds later (measured on the public series: 110 us per sample and epoch in the first, 7 us once compiled), while
 * the compiler was busy with the broker's and Kafka Streams' code. A live service replayed a backlog at 2,000
 * readings/s got its first models thousands of readings later than the backtest did. The warm-up runs while the
 * Kafka clients join their groups, which takes about as long; its model is discarded and nothing of it is published
 * or kept (the real retrainings seed their own initialisation and shuffling).
 */
public final class TrainingWarmup {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingWarmup.class);
    /** Windows of the synthetic series. */
    static final int SAMPLES = 500;
    /**
     * Samples times epochs: enough passes for the compiler to take the training loops (measured: 20,000 left them
     * slow).
     */
    static final int PASSES = 50_000;

    private TrainingWarmup() {
    }

    /** Trains and scores a fresh model of the configured architecture as a retraining would; returns its outcome. */
    public static ChallengerTrainer.Outcome run(ForecastSettings settings) {
        TrainingOptions configured = settings.retrain().options();
        TrainingOptions options = new TrainingOptions(Math.max(1, PASSES / SAMPLES), configured.batchSize(),
                configured.shuffle(), configured.seed(), configured.learningRate(), configured.validationSplit(),
                configured.patience(), configured.clipNorm());
        // A random walk with a slow cycle: finite, varied windows of the kind the stream sends.
        SplittableRandom random = new SplittableRandom(1);
        double[] series = new double[SAMPLES + settings.windowLength()];
        double level = 10;
        for (int k = 0; k < series.length; k++) {
            level += 0.5 * (random.nextDouble() - 0.5) + 0.05 * Math.sin(k / 20.0);
            series[k] = level;
        }
        ChallengerTrainer.Outcome outcome = ChallengerTrainer.run("warm-up", null,
                ModelCodec.toForecaster(settings.architecture(), configured.seed()),
                TrainingSet.windows(series, 0, 3_600_000L, settings.windowLength(), settings.features()),
                settings.retrain().holdout(), options);
        LOG.debug("training warm-up: {} samples x {} epochs in {} ms", outcome.trainingSamples(), outcome.epochs(),
                outcome.durationMs());
        return outcome;
    }
}
