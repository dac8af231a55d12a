package dev.streamcast.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Forecasting many windows in one batch (one per sensor) gives the forecasts of one window at a time: the batch
 * path and the one-window path of the engine compute the same sums in the same order.
 */
@Tag("unit")
class BatchForecastTest {

    @ParameterizedTest(name = "{0} seed model, {1} windows")
    @CsvSource({"relu, 1024", "tanh, 1024", "relu, 1000", "tanh, 257", "relu, 2", "relu, 1"})
    void aBatchOfWindowsGetsTheForecastsOfOneWindowAtATime(String activation, int count) {
        Forecaster forecaster = seedModel(activation, 7);
        double[] windows = new double[count * SeedModel.WINDOW_LENGTH];
        SplittableRandom random = new SplittableRandom(11);
        for (int k = 0; k < windows.length; k++) {
            windows[k] = random.nextDouble(-20, 20);
        }
        double[] batch = new double[count];
        forecaster.forecastBatch(windows, count, batch);

        Forecaster single = forecaster.copy();
        double[] window = new double[SeedModel.WINDOW_LENGTH];
        for (int k = 0; k < count; k++) {
            System.arraycopy(windows, k * window.length, window, 0, window.length);
            double one = single.forecast(window);
            assertTrue(Double.isFinite(one), "forecast " + k + " is " + one);
            assertEquals(one, batch[k], 1e-12 * Math.max(1.0, Math.abs(one)), "forecast of window " + k);
        }
    }

    @ParameterizedTest(name = "{0} seed model")
    @CsvSource({"relu", "tanh"})
    void forecastingABatchDoesNotChangeTheNextSingleForecast(String activation) {
        Forecaster forecaster = seedModel(activation, 3);
        double[] window = {5, 6, 7};
        double before = forecaster.forecast(window);
        double[] windows = new double[64 * SeedModel.WINDOW_LENGTH];
        for (int k = 0; k < windows.length; k++) {
            windows[k] = k % 10;
        }
        forecaster.forecastBatch(windows, 64, new double[64]);
        assertEquals(before, forecaster.forecast(window), 0.0);
    }

    /** The seed architecture with the LSTM's activation replaced, e.g. {@code "tanh"} (Keras's default). */
    private static Forecaster seedModel(String activation, long seed) {
        String json = SeedModel.ARCHITECTURE.replace("\"activation\":\"relu\"",
                "\"activation\":\"" + activation + "\"");
        return ModelCodec.decode(json.getBytes(StandardCharsets.UTF_8), seed);
    }
}
