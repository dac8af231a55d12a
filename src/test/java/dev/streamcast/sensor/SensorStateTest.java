package dev.streamcast.sensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.wire.ForecastSource;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SensorStateTest {

    private static SensorState scoredState(int window, int history, int readings) {
        SensorState state = new SensorState(window, history);
        for (int k = 0; k < readings; k++) {
            if (state.isFull()) {
                state.addScored(1000L * k, k, k - 0.5, k - 1, 3);
            }
            state.append(1000L * k, k);
            if (state.isFull()) {
                state.pending().set(k + 0.5, 3);
            }
        }
        return state;
    }

    @Test
    void aLoadedStateIsTheStoredOneWhateverTheInstanceHeldBefore() {
        SensorState stored = scoredState(3, 5, 12);
        SensorState reused = scoredState(3, 5, 40);
        reused.load(stored.toBytes());

        assertArrayEquals(stored.toBytes(), reused.toBytes());
        assertArrayEquals(new double[] {9, 10, 11}, reused.values());
        assertEquals(11.5, reused.pending().forecast());
        assertEquals(5, reused.history().length);
        assertEquals(11, reused.history()[4].actual());
        assertEquals(7, reused.history()[0].actual());
    }

    @Test
    void theLocalCorrectionIsStoredWithTheStateAndClearedWithIt() {
        SensorState state = scoredState(3, 5, 12);
        double[] window = {9, 10, 11};
        for (int k = 0; k < 50; k++) {
            state.correction().correctPending(window, 0, 10, 1, 11);
            state.correction().learn(window, 0, 10, 1, 9, 0.999);
        }
        SensorState loaded = SensorState.fromBytes(state.toBytes(), 3, 5);
        assertEquals(50, loaded.correction().updates());
        assertEquals(state.correction().corrected(window, 0, 10, 1, 11), loaded.correction().corrected(window, 0, 10,
                1, 11));
        assertTrue(loaded.correction().corrected(window, 0, 10, 1, 11) < 11, "it learned to forecast lower");
        loaded.clear();
        assertEquals(0, loaded.correction().updates());
    }

    @Test
    void clearForgetsTheWindowThePendingForecastAndTheHistory() {
        SensorState state = scoredState(3, 5, 12);
        state.clear();
        assertTrue(state.isEmpty());
        assertFalse(state.pending().isPresent());
        assertEquals(0, state.history().length);
        assertArrayEquals(new SensorState(3, 5).toBytes(), state.toBytes());
    }

    @Test
    void aStateStoredWithLongerWindowAndHistoryKeepsItsMostRecentEntries() {
        SensorState stored = scoredState(5, 8, 20);
        SensorState smaller = SensorState.fromBytes(stored.toBytes(), 3, 4);

        assertArrayEquals(new double[] {17, 18, 19}, smaller.values());
        // The window changed length: its pending forecast was made from another window and is dropped.
        assertFalse(smaller.pending().isPresent());
        assertEquals(4, smaller.history().length);
        assertEquals(16, smaller.history()[0].actual());
        assertEquals(19, smaller.history()[3].actual());
    }

    @Test
    void aStateStoredWithShorterHistoryGrowsIntoALongerOne() {
        SensorState stored = scoredState(3, 2, 10);
        SensorState larger = SensorState.fromBytes(stored.toBytes(), 3, 6);
        assertEquals(2, larger.history().length);
        for (int k = 10; k < 20; k++) {
            larger.addScored(k, k, k, k, 1);
        }
        assertEquals(6, larger.history().length);
        assertEquals(19, larger.history()[5].actual());
    }

    @Test
    void aHorizonStoredWithHalfWidthsIsReadAsItsBounds() {
        // Format 7's pending steps: horizon, rows, then per row version, source, (forecast, half-width) per step.
        ByteBuffer old = ByteBuffer.allocate(8 + 9 + 2 * 16);
        old.putInt(3).putInt(1).putLong(4).put(ForecastSource.LSTM.code());
        old.putDouble(10).putDouble(2).putDouble(11).putDouble(3);
        PendingHorizon horizon = new PendingHorizon(3);
        horizon.read(old.flip(), true);
        assertEquals(8, horizon.lower(1, 2));
        assertEquals(12, horizon.upper(1, 2));
        assertEquals(8, horizon.lower(1, 3));
        assertEquals(14, horizon.upper(1, 3));

        ByteBuffer stored = ByteBuffer.allocate(horizon.bytes());
        horizon.write(stored);
        PendingHorizon again = new PendingHorizon(3);
        again.read(stored.flip(), false);
        assertEquals(14, again.upper(1, 3));
        assertEquals(11, again.forecast(1, 3));
        assertEquals(4, again.version(1));
    }

    @Test
    void aFormatEightStateIsReadWithItsSeasonToLearnAgainAndWrittenAsFormatNine() {
        SensorState state = new SensorState(3, 5, 1);
        // A daily sensor with a weekly cycle, long enough for its week to be in use.
        for (int k = 0; k < 200; k++) {
            double value = 100 + (k % 7 == 6 ? -40 : 0) + (k % 3);
            if (!state.isEmpty()) {
                state.season().observe(true, state.lastTimestamp(), state.lastValue(), 86_400_000L * k, value);
            }
            state.append(86_400_000L * k, value);
        }
        assertTrue(state.season().hasSeason());
        byte[] current = state.toBytes();
        // Format 8: the same bytes without the season at the end.
        byte[] format8 = java.util.Arrays.copyOf(current, current.length - state.season().bytes());
        format8[0] = 8;
        SensorState read = SensorState.fromBytes(format8, 3, 5, 1);
        assertArrayEquals(state.values(), read.values());
        assertFalse(read.season().hasSeason(), "learned again from the next readings");
        assertEquals(0.0, read.season().offset(86_400_000L * 206), 0.0);
        byte[] upgraded = read.toBytes();
        assertEquals(9, upgraded[0], "written back in the current format");
        assertArrayEquals(read.toBytes(), SensorState.fromBytes(upgraded, 3, 5, 1).toBytes());
        // And the current format keeps the season.
        SensorState again = SensorState.fromBytes(current, 3, 5, 1);
        assertTrue(again.season().hasSeason());
        assertEquals(state.season().offset(86_400_000L * 206), again.season().offset(86_400_000L * 206), 0.0);
    }

    @Test
    void aFormatSevenStateWithAHorizonIsReadWithItsStepsAsBounds() {
        SensorState state = new SensorState(3, 5, 3);
        for (int k = 0; k < 12; k++) {
            state.append(1000L * k, k);
        }
        state.pending().set(12.5, 3);
        state.pending().horizon().push(new double[] {12.5, 13, 14}, new double[] {11, 11.5, 12},
                new double[] {14, 14.5, 16}, 3, ForecastSource.LSTM);
        byte[] current = state.toBytes();
        // Format 7: the same bytes up to the horizon, its steps as (forecast, half-width), and no resolution at the
        // end.
        int afterHorizon = current.length - state.season().bytes() - ReadingResolution.BYTES - state.correction()
                .bytes()
                - state.stepErrors().bytes();
        int horizonStart = afterHorizon - state.pending().horizon().bytes();
        ByteBuffer old = ByteBuffer.allocate(horizonStart + 8 + 9 + 2 * 16 + state.stepErrors().bytes()
                + state.correction().bytes());
        old.put(current, 0, horizonStart);
        old.putInt(3).putInt(1).putLong(3).put(ForecastSource.LSTM.code());
        old.putDouble(13).putDouble(1.5).putDouble(14).putDouble(2);
        old.put(current, afterHorizon, state.stepErrors().bytes() + state.correction().bytes());
        byte[] format7 = old.array();
        format7[0] = 7;

        SensorState read = SensorState.fromBytes(format7, 3, 5, 3);
        assertArrayEquals(new double[] {9, 10, 11}, read.values());
        assertEquals(12.5, read.pending().forecast());
        assertEquals(11.5, read.pending().stepLower(2));
        assertEquals(14.5, read.pending().stepUpper(2));
        assertEquals(12, read.pending().stepLower(3));
        assertEquals(16, read.pending().stepUpper(3));
        assertEquals(0, read.resolutionStep(), "learned again");
        assertEquals(state.correction().updates(), read.correction().updates());
    }
}
