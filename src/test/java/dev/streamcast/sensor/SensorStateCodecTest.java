package dev.streamcast.sensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.wire.ForecastSource;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The stored state's format 10 (issue 27): what it keeps, exactly, and what it reads of format 8. */
@Tag("unit")
class SensorStateCodecTest {

    private static final int WINDOW = 3;
    private static final int HISTORY = 20;

    /**
     * A sensor after {@code readings} readings of a random walk written by {@code written}, minute apart with some
     * jitter, every part of its state in use: window, pending forecast and model forecast, intervals (NaN for the
     * first few), the calibration set, the floor, the history, and a gap now and then.
     */
    private static SensorState sensor(long seed, int readings, DoubleUnaryOperator written,
                                      int horizon) {
        Random random = new Random(seed);
        SensorState state = new SensorState(WINDOW, HISTORY, horizon);
        ErrorCalibration calibration = new ErrorCalibration(0.9, 0.99);
        double walk = 100 * random.nextGaussian();
        long time = 1_767_225_600_000L;
        for (int k = 0; k < readings; k++) {
            walk += random.nextGaussian();
            double value = written.applyAsDouble(walk);
            time += 60_000 + (k % 13 == 0 ? random.nextInt(5_000) : 0);
            if (state.pending().isPresent()) {
                double error = Math.abs(value - state.pending().forecast());
                boolean anomaly = calibration.anomalyScore(state, error) >= 0.99;
                state.addScored(time, value, state.pending().forecast(), state.lastValue(), state.pending().version(),
                        state.pending().lower(), state.pending().upper(), calibration.anomalyScore(state, error));
                calibration.add(state, error, anomaly);
            }
            state.take(time, value, 1000 + k);
            if (state.isFull()) {
                double forecast = value + random.nextGaussian() * 0.5;
                double half = calibration.halfWidth(state);
                double lower = k < 10 ? Double.NaN : state.resolution().snapLower(forecast - half, forecast, 2 * half);
                double upper = k < 10 ? Double.NaN : state.resolution().snapUpper(forecast + half, forecast, 2 * half);
                boolean naive = k % 7 == 0;
                state.pending().set(naive ? value : forecast, 1 + k / 50, lower, upper,
                        naive ? forecast : k % 3 == 0 ? Double.NaN : forecast,
                        naive ? ForecastSource.NAIVE_FLOOR : ForecastSource.LSTM);
                state.setFloor(k * 0.5, k * 0.25, k, naive);
            }
        }
        return state;
    }

    private static void assertSameState(SensorState expected, SensorState actual) {
        assertEquals(expected.count(), actual.count());
        assertArrayEquals(expected.values(), actual.values());
        assertArrayEquals(expected.timestamps(), actual.timestamps());
        assertArrayEquals(expected.offsets(), actual.offsets());
        assertEquals(expected.lastOffset(), actual.lastOffset());
        assertEquals(expected.level(), actual.level());
        assertEquals(expected.stepRms(), actual.stepRms());
        assertEquals(expected.stepScale(), actual.stepScale());
        assertEquals(expected.meanIntervalMs(), actual.meanIntervalMs());
        assertEquals(expected.pending().isPresent(), actual.pending().isPresent());
        assertEquals(expected.pending().forecast(), actual.pending().forecast());
        assertEquals(expected.pending().lower(), actual.pending().lower());
        assertEquals(expected.pending().upper(), actual.pending().upper());
        assertEquals(expected.pending().modelForecast(), actual.pending().modelForecast());
        assertEquals(expected.pending().version(), actual.pending().version());
        assertEquals(expected.pending().source(), actual.pending().source());
        assertEquals(expected.floorEngaged(), actual.floorEngaged());
        assertEquals(expected.floorScored(), actual.floorScored());
        assertEquals(expected.errors().count(), actual.errors().count());
        float[] expectedErrors = new float[expected.errors().count()];
        float[] actualErrors = new float[actual.errors().count()];
        expected.errors().copyInto(expectedErrors);
        actual.errors().copyInto(actualErrors);
        assertArrayEquals(expectedErrors, actualErrors);
        assertEquals(expected.errors().cachedQuantile(), actual.errors().cachedQuantile());
        assertArrayEquals(expected.history(), actual.history());
        assertEquals(expected.resolutionStep(), actual.resolutionStep());
        assertArrayEquals(SensorStateCodec.encode(expected), SensorStateCodec.encode(actual));
    }

    @Test
    void aStateReadsBackExactlyOnAGridAndOffIt() {
        for (long seed = 1; seed <= 20; seed++) {
            SensorState threeDecimals = sensor(seed, 300, v -> Math.round(v * 1000) / 1000.0, 1);
            assertSameState(threeDecimals, SensorStateCodec.decode(SensorStateCodec.encode(threeDecimals), WINDOW,
                    HISTORY));
            SensorState continuous = sensor(seed, 300, v -> v, 1);
            assertSameState(continuous, SensorStateCodec.decode(SensorStateCodec.encode(continuous), WINDOW,
                    HISTORY));
            SensorState young = sensor(seed, 8, v -> v, 1);
            assertSameState(young, SensorStateCodec.decode(SensorStateCodec.encode(young), WINDOW, HISTORY));
        }
    }

    @Test
    void aHorizonsPendingStepsAndAHistoryOfOddValuesReadBack() {
        SensorState state = sensor(3, 100, v -> v, 4);
        state.pending().horizon().push(new double[] {1, 2, 3, 4}, new double[] {0, 1, 2, 3},
                new double[] {2, 3, 4, 5}, 7, ForecastSource.LSTM);
        state.addScored(state.lastTimestamp() - 5, -0.0, Double.POSITIVE_INFINITY, Double.NaN, Long.MAX_VALUE,
                Double.NaN, 3, Double.NEGATIVE_INFINITY);
        state.addScored(state.lastTimestamp() + Long.MAX_VALUE / 2, 1e300, -1e-300, 0.0, -1, 2, Double.NaN, 0.5);
        SensorState read = SensorStateCodec.decode(SensorStateCodec.encode(state), WINDOW, HISTORY, 4);
        assertSameState(state, read);
        assertEquals(4, read.pending().horizon().forecast(1, 4));
        assertEquals(7, read.pending().horizon().version(1));
    }

    @Test
    void aFormatEightStateReadsAsTheSameSensorButItsSeason() {
        for (long seed = 1; seed <= 5; seed++) {
            SensorState state = sensor(seed, 300, v -> Math.round(v * 10) / 10.0, 1);
            byte[] format8 = SensorStateCodec.encodeFormat8(state);
            assertEquals(8, format8[0]);
            SensorState read = SensorStateCodec.decode(format8, WINDOW, HISTORY);
            // Format 8 kept no season: the sensor learns it again, its window's offsets 0 meanwhile.
            state.season().clear();
            state.rebaseWindowOffsets();
            assertSameState(state, read);
            assertEquals(10, SensorStateCodec.encode(read)[0], "written back in format 10");
        }
    }

    /**
     * Issue 27: a sensor of the defaults (window 3, history 20, horizon 1), its calibration set full, within 1 KB
     * besides its season; formats 8 and 9 took about 2.6 KB. (The topology's own, with a model, is
     * StoredStateSizeTest.)
     */
    @Test
    void aFullSensorTakesAtMostOneKilobyteBesidesItsSeason() {
        for (long seed = 1; seed <= 10; seed++) {
            for (DoubleUnaryOperator written : List.<DoubleUnaryOperator>of(v -> Math.round(v * 1000) / 1000.0,
                    v -> Math.round(v * 10) / 10.0, v -> v)) {
                SensorState state = sensor(seed, 400, written, 1);
                assertEquals(CalibrationErrors.SENSOR_ERRORS, state.errors().count());
                assertEquals(HISTORY, state.history().length);
                int bytes = SensorStateCodec.encode(state).length - state.season().bytes();
                assertTrue(bytes <= 1024, bytes + " bytes");
                assertTrue(SensorStateCodec.encodeFormat8(state).length > 2400, "format 8 took about 2.6 KB");
            }
        }
    }
}
