package dev.streamcast.sensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        SensorStateCodec.decodeInto(SensorStateCodec.encode(stored), reused);

        assertArrayEquals(SensorStateCodec.encode(stored), SensorStateCodec.encode(reused));
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
        SensorState loaded = SensorStateCodec.decode(SensorStateCodec.encode(state), 3, 5);
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
        assertArrayEquals(SensorStateCodec.encode(new SensorState(3, 5)), SensorStateCodec.encode(state));
    }

    @Test
    void aStateStoredWithLongerWindowAndHistoryKeepsItsMostRecentEntries() {
        SensorState stored = scoredState(5, 8, 20);
        SensorState smaller = SensorStateCodec.decode(SensorStateCodec.encode(stored), 3, 4);

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
        SensorState larger = SensorStateCodec.decode(SensorStateCodec.encode(stored), 3, 6);
        assertEquals(2, larger.history().length);
        for (int k = 10; k < 20; k++) {
            larger.addScored(k, k, k, k, 1);
        }
        assertEquals(6, larger.history().length);
        assertEquals(19, larger.history()[5].actual());
    }

    @Test
    void aHorizonsPendingStepsTravelWithTheirBounds() {
        PendingHorizon horizon = new PendingHorizon(3);
        horizon.push(new double[] {10, 10, 11}, new double[] {9, 8, 8}, new double[] {11, 12, 14}, 4,
                ForecastSource.LSTM);
        ByteBuffer stored = ByteBuffer.allocate(horizon.bytes());
        horizon.write(stored);
        PendingHorizon again = new PendingHorizon(3);
        again.read(stored.flip());
        assertEquals(14, again.upper(1, 3));
        assertEquals(8, again.lower(1, 3));
        assertEquals(11, again.forecast(1, 3));
        assertEquals(4, again.version(1));
    }

    @Test
    void aFormatEightStateIsReadWithItsSeasonToLearnAgainAndWrittenInTheCurrentFormat() {
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
        byte[] current = SensorStateCodec.encode(state);
        byte[] format8 = SensorStateCodec.encodeFormat8(state);
        format8[0] = 8;
        SensorState read = SensorStateCodec.decode(format8, 3, 5, 1);
        assertArrayEquals(state.values(), read.values());
        assertFalse(read.season().hasSeason(), "learned again from the next readings");
        assertEquals(0.0, read.season().offset(86_400_000L * 206), 0.0);
        byte[] upgraded = SensorStateCodec.encode(read);
        assertEquals(10, upgraded[0], "written back in the current format");
        assertArrayEquals(SensorStateCodec.encode(read), SensorStateCodec.encode(SensorStateCodec.decode(upgraded, 3,
                5, 1)));
        // And the current format keeps the season and the offsets the window's readings arrived with.
        SensorState again = SensorStateCodec.decode(current, 3, 5, 1);
        assertTrue(again.season().hasSeason());
        assertArrayEquals(state.offsets(), again.offsets(), "the offsets the window's readings arrived with");
        assertEquals(state.season().offset(86_400_000L * 206), again.season().offset(86_400_000L * 206), 0.0);
    }

    @Test
    void formatNineWhichOnlySnapshotsWroteIsRefusedByName() {
        byte[] format9 = SensorStateCodec.encodeFormat8(new SensorState(3, 5));
        format9[0] = 9;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SensorStateCodec.decode(format9, 3, 5));
        assertEquals("unknown sensor state format 9", e.getMessage());
    }

    @Test
    void aFormatNoReleaseWroteIsRefusedByName() {
        byte[] format7 = SensorStateCodec.encode(new SensorState(3, 5));
        format7[0] = 7;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SensorStateCodec.decode(format7, 3, 5));
        assertEquals("unknown sensor state format 7", e.getMessage());
    }
}
