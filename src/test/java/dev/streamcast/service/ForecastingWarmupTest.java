package dev.streamcast.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.ModelCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ForecastingWarmupTest {

    @TempDir
    Path stateDir;

    private StreamcastConfig config() {
        return StreamcastConfig.of(Map.of("kafka.bootstrap.servers", "localhost:9", "kafka.state.dir",
                stateDir.toString()));
    }

    @Test
    void runsItsReadingsThroughTheForecastingTopologyAndLeavesNoStateBehind() throws Exception {
        StreamcastConfig config = config();
        ForecastSettings settings = ForecastSettings.from(config);
        AtomicInteger checks = new AtomicInteger();
        ForecastingWarmup.Warmed warmed = ForecastingWarmup.run(config, settings,
                ModelCodec.toForecaster(settings.architecture(), 1), () -> {
                    checks.incrementAndGet();
                    return false;
                });
        assertEquals(ForecastingWarmup.MOST_READINGS, warmed.readings());
        // Every reading from each sensor's third on is forecast: the whole per-reading path ran.
        assertEquals(ForecastingWarmup.MOST_READINGS - 2 * ForecastingWarmup.SENSORS, warmed.forecasts());
        assertTrue(checks.get() >= ForecastingWarmup.MOST_READINGS / 1000 - 1, "checked as it went: " + checks);
        try (Stream<Path> left = Files.list(stateDir)) {
            assertEquals(0, left.count(), "its state directory is deleted");
        }
    }

    @Test
    void stopsAtTheFirstCheckOnceTheServiceNoLongerWaits() {
        StreamcastConfig config = config();
        ForecastSettings settings = ForecastSettings.from(config);
        ForecastingWarmup.Warmed warmed = ForecastingWarmup.run(config, settings,
                ModelCodec.toForecaster(settings.architecture(), 1), () -> true);
        assertEquals(1000, warmed.readings());
    }
}
