package dev.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class ForecasterTest {

    static Forecaster defaultArchitecture(long seed) throws IOException {
        return ModelCodec.decode(Files.readAllBytes(Path.of("config/model.json")), seed);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 42, 1234567})
    void trainedWithDefaultsOnTheSeedSeriesItForecastsTheNextNumberAtAnyLevel(long seed) throws IOException {
        Forecaster fresh = defaultArchitecture(seed);
        Trainer.Result result = Trainer.train(fresh, fresh.scaling(), List.of(new double[] {1, 2, 3, 4, 5, 6, 7}),
                TrainingOptions.DEFAULTS.withSeed(seed), EpochListener.NONE);
        Forecaster trained = result.forecaster();
        // Under the sensor scaling the seed's four windows are four inputs, not one input four times (along the
        // trend each sits further from the running level), so 100 epochs leave some seeds a few hundredths short.
        assertEquals(8.0, trained.forecast(new double[] {5, 6, 7}), 0.1, "seed " + seed);
        assertEquals(108.0, trained.forecast(new double[] {105, 106, 107}), 0.5, "seed " + seed);
        assertEquals(4, result.trainingSamples());
    }

    @Test
    void windowScalingServesAnyMagnitudeAndNeverDividesByZero() {
        Scaling window = new Scaling.Window();
        double[] scaled = new double[3];
        for (double[] w : List.of(new double[] {1000.1, 1000.2, 1000.3}, new double[] {50.05, 50.10, 50.15},
                new double[] {-7, -8, -9}, new double[] {3, 3, 3}, new double[] {0, 0, 0})) {
            window.scaleWindow(w, 0, 3, 0, 0, scaled, 0);
            for (double v : scaled) {
                assertTrue(Double.isFinite(v), () -> "finite for " + java.util.Arrays.toString(w));
            }
            assertEquals(0.0, scaled[2]);
            // unscale inverts scaleTarget
            double target = w[2] + 0.7;
            assertEquals(target, window.unscale(w, 0, 3, 0, 0, window.scaleTarget(w, 0, 3, 0, 0, target)), 1e-9);
        }
        // a flat window forecasts next to its level
        assertEquals(3.0, window.unscale(new double[] {3, 3, 3}, 0, 3, 0, 0, 0.4), 1e-5);
    }

    @Test
    void aBatchForecastsExactlyAsOneWindowAtATime() throws IOException {
        Forecaster forecaster = defaultArchitecture(3);
        SplittableRandom random = new SplittableRandom(5);
        int count = 257;
        double[] windows = new double[count * 3];
        for (int k = 0; k < windows.length; k++) {
            windows[k] = random.nextDouble(-1000, 1000);
        }
        double[] batch = new double[count];
        forecaster.forecastBatch(windows, count, batch);
        double[] single = new double[count];
        for (int k = 0; k < count; k++) {
            single[k] = forecaster.forecast(windows, k * 3);
        }
        assertArrayEquals(single, batch, 1e-9);
    }

    @Test
    void validationHoldoutIsTheMostRecentWindowsAndEarlyStoppingKeepsTheBest() throws IOException {
        double[] series = new double[60];
        for (int i = 0; i < series.length; i++) {
            series[i] = 20 + 5 * Math.sin(i / 3.0);
        }
        Forecaster fresh = defaultArchitecture(1);
        Trainer.Result result = Trainer.train(fresh, fresh.scaling(), List.of(series),
                TrainingOptions.DEFAULTS.withEpochs(300).withValidationSplit(0.25).withPatience(3), EpochListener.NONE);
        assertEquals(42, result.trainingSamples()); // Keras: int(57 * (1 - 0.25))
        assertEquals(15, result.validationSamples());
        TrainingHistory history = result.history();
        assertEquals(history.epochs(), history.validationLoss().size());
        double best = history.validationLoss().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertEquals(best, history.validationLoss().get(history.bestEpoch() - 1));
        if (history.stoppedEarly()) {
            assertEquals(history.bestEpoch() + 3, history.epochs());
        }
    }
}
