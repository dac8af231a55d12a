package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.ChallengerTrainer;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TrainingWarmupTest {

    @Test
    void trainsAndScoresTheConfiguredArchitectureOnTheWholeRetrainingPath() {
        ForecastSettings settings = ForecastSettings.from(StreamcastConfig.of(Map.of("retrain.batch-size", "8")));
        ChallengerTrainer.Outcome outcome = TrainingWarmup.run(settings);
        // The configured holdout is scored, the rest trained on, for the warm-up's number of passes.
        int windows = TrainingWarmup.SAMPLES;
        int holdout = (int) Math.round(windows * settings.retrain().holdout());
        assertEquals(windows - holdout, outcome.trainingSamples());
        assertEquals(holdout, outcome.holdoutSamples());
        assertEquals(TrainingWarmup.PASSES / TrainingWarmup.SAMPLES, outcome.epochs());
        assertTrue(Double.isFinite(outcome.challengerRmse()), outcome.reason());
        assertTrue(Double.isFinite(outcome.naiveRmse()), outcome.reason());
    }

    @Test
    void isTheSameEveryTime() {
        ForecastSettings settings = ForecastSettings.from(StreamcastConfig.defaults());
        assertEquals(TrainingWarmup.run(settings).challengerRmse(), TrainingWarmup.run(settings).challengerRmse());
    }
}
