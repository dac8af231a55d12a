package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.sensor.SensorState;
import dev.streamcast.sensor.SensorStateCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SensorStateCacheTest {

    private static byte[] stateWith(double... values) {
        SensorState state = new SensorState(3, 5);
        for (int k = 0; k < values.length; k++) {
            state.append(1000L * k, values[k]);
        }
        return SensorStateCodec.encode(state);
    }

    @Test
    void aLoadedSensorIsServedFromTheCacheUntilEvictedOrCleared() {
        SensorStateCache cache = new SensorStateCache(2, 3, 5, 1);
        SensorState a = cache.load("a", stateWith(1, 2, 3));
        assertSame(a, cache.get("a"));
        assertArrayEquals(new double[] {1, 2, 3}, a.values());
        assertTrue(cache.load("new", null).isEmpty(), "a sensor never seen starts empty");

        cache.evict("a");
        assertNull(cache.get("a"), "after a failed reading the store's state is read again");
        cache.clear();
        assertNull(cache.get("new"));
    }

    @Test
    void theLeastRecentlyUsedLeavesFirstAndItsInstanceIsReusedCleanly() {
        SensorStateCache cache = new SensorStateCache(2, 3, 5, 1);
        SensorState a = cache.load("a", stateWith(1, 2, 3));
        cache.load("b", stateWith(4, 5));
        cache.get("a");
        cache.load("c", null); // evicts b, the least recently used
        assertNull(cache.get("b"));
        assertSame(a, cache.get("a"));
        SensorState d = cache.load("d", stateWith(7)); // evicts c; d reuses c's instance
        assertEquals(1, d.count());
        assertEquals(7, d.lastValue());
    }
}
