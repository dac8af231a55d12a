package dev.streamcast.stream;

import dev.streamcast.sensor.SensorState;
import dev.streamcast.sensor.SensorStateCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The task's most recently used sensor states as objects, beside the sensor store that holds them as bytes.
 *
 * <p>Why: decoding a sensor's state from the store for every reading (about 2.5 KB: window, calibration set,
 * history) was a tenth of the stream thread's time. The store stays the truth: every changed state reaches it by the
 * next commit ({@link SensorStateStore}, so the changelog, exactly-once and interactive queries see each commit's
 * states), but a sensor read again while its state is here is not decoded again. The cache is only valid while this
 * processor is the store's one writer since it last started: {@link ReadingProcessor#init} clears it, which also
 * covers a task revived after its state was wiped and restored. Bounded: the least recently used sensor leaves first,
 * its changed state written to the store before its object is reused.
 */
final class SensorStateCache {

    private final int windowLength;
    private final int historyLength;
    private final int horizon;
    private final int seasonMaxBins;
    private final Map<String, SensorState> states;
    // An evicted state's instance, reused for the next sensor not in the cache (no allocation in the steady state).
    private SensorState spare;
    // Where an evicted sensor's changed state is written before its instance is reused; null before the first use.
    private SensorStateStore store;

    SensorStateCache(int capacity, int windowLength, int historyLength, int horizon) {
        this(capacity, windowLength, historyLength, horizon, dev.streamcast.model.SensorSeason.DEFAULT_MAX_BINS);
    }

    SensorStateCache(int capacity, int windowLength, int historyLength, int horizon, int seasonMaxBins) {
        this.seasonMaxBins = seasonMaxBins;
        this.windowLength = windowLength;
        this.historyLength = historyLength;
        this.horizon = horizon;
        this.states = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SensorState> eldest) {
                if (size() > capacity) {
                    if (store != null) {
                        store.writeNow(eldest.getKey());
                    }
                    spare = eldest.getValue();
                    return true;
                }
                return false;
            }
        };
    }

    /** The cached state of the sensor, or null. */
    SensorState get(String sensorId) {
        return states.get(sensorId);
    }

    /**
     * A state for a sensor not in the cache, filled from its stored bytes (null: a sensor never seen), now cached.
     */
    SensorState load(String sensorId, byte[] stored) {
        SensorState state = spare != null ? spare : new SensorState(windowLength, historyLength, horizon,
                seasonMaxBins);
        spare = null;
        if (stored == null) {
            state.clear();
        } else {
            SensorStateCodec.decodeInto(stored, state);
        }
        states.put(sensorId, state);
        return state;
    }

    /** Forgets the sensor's cached state: the store's is the one to use next (its reading failed half-way). */
    void evict(String sensorId) {
        states.remove(sensorId);
    }

    /** Forgets every cached state: the store may have changed under it (a restore) or belong to another owner. */
    void clear() {
        states.clear();
        spare = null;
    }

    /** Forgets every cached state, and from now on writes an evicted sensor's changed state to {@code sensors}. */
    void clear(SensorStateStore sensors) {
        clear();
        store = sensors;
    }
}
