package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.sensor.SensorState;
import dev.streamcast.sensor.SensorStateCodec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes of a sensor's stored state at the defaults, once its calibration set and history are full (issue 27:
 * at most 1 KB, a season aside), as the topology writes it to the sensor store and its changelog.
 */
@Tag("topology")
class StoredStateSizeTest {

    /** Issue 27's bound on a sensor's stored state at the defaults, without its season. */
    static final int MOST_BYTES = 1024;

    @TempDir
    Path stateDir;

    /**
     * The state of one sensor after 400 readings of a random walk (values given by {@code written}) forecast by an
     * LSTM at the defaults: minus its season's bytes, which the seasons' work counts apart.
     */
    private int storedBytesWithoutSeason(DoubleUnaryOperator written) {
        // Readings a minute apart run ahead of the driver's wall clock: only the future skew is not the default.
        StreamcastConfig config = StreamcastConfig.of(Map.of("input.max-future-skew", "PT200H"));
        try (TopologyFixture f = new TopologyFixture(config, stateDir)) {
            Forecaster model = ModelCodec.toForecaster(f.settings.architecture(), 1)
                    .withIdentity("default", 1, "2026-11-26T00:00:00Z", null);
            f.models.pipeInput("default", ModelCodec.encode(model));
            Random random = new Random(7);
            double value = 20;
            for (int i = 0; i < 400; i++) {
                value += random.nextGaussian() * 0.3;
                f.reading("s", written.applyAsDouble(value), 60L * i);
            }
            byte[] stored = f.driver.<String, byte[]>getKeyValueStore(StreamNames.SENSOR_STORE).get("s");
            SensorState state = SensorStateCodec.decode(stored, f.settings.windowLength(),
                    f.settings.historyLength(), f.settings.horizon(), f.settings.seasonMaxBins());
            assertEquals(f.settings.historyLength(), state.history().length, "the history is full");
            assertEquals(400, state.lastOffset() + 1, "every reading taken");
            assertEquals("lstm", state.pending().source().forecaster(), "forecast by the model");
            assertArrayEquals(stored, SensorStateCodec.encode(state), "read back as it was written");
            return stored.length - state.season().bytes();
        }
    }

    @Test
    void aSensorOfThreeDecimalsIsStoredInAtMostOneKilobyte() {
        int bytes = storedBytesWithoutSeason(v -> Math.round(v * 1000) / 1000.0);
        assertTrue(bytes <= MOST_BYTES, bytes + " bytes");
    }

    @Test
    void aContinuousSensorIsStoredInAtMostOneKilobyte() {
        int bytes = storedBytesWithoutSeason(v -> v);
        assertTrue(bytes <= MOST_BYTES, bytes + " bytes");
    }
}
