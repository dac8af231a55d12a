package dev.streamcast.stream;

import dev.streamcast.sensor.SensorState;
import dev.streamcast.sensor.SensorStateCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The sensor-state store: Kafka Streams' cached, changelogged RocksDB store of each sensor's state as bytes
 * ({@link SensorStateCodec}), with the states the reading processor changed since the last commit held as objects
 * and encoded once, when Kafka Streams flushes the store for the commit.
 *
 * <p>Why: the processor keeps its sensors' states decoded ({@link SensorStateCache}) and changes them in place;
 * encoding a state for every reading was a tenth of the stream thread's time, while the store's cache kept only the
 * last encoding of each sensor per commit anyway. Under a backlog a sensor takes tens of readings between two commits.
 *
 * <p>What stays as it was: the changelog, RocksDB and an exactly-once transaction see, at each commit, every sensor's
 * state after the last reading that commit covers. Kafka Streams flushes a task's caches before it commits the task
 * ({@link #flushCache}, then the changelog records go in the transaction), so the states changed since the last commit
 * are written first. On an aborted transaction or a dirty close ({@link #clearCache}, {@link #close}) they are dropped
 * like the cache's own entries: the task starts again from the committed state. Interactive queries read the store as
 * of the last commit (at most a commit interval behind the processor). A changed state whose object the processor is
 * about to reuse for another sensor is written at once ({@link #writeNow}).
 *
 * <p>Only the stream thread of the task calls the processor's side ({@link #changed}, {@link #writeNow},
 * {@link #forget}) and the flushes; queries from other threads read the store underneath, never the held objects.
 */
final class SensorStateStore extends WrappedStateStore<KeyValueStore<String, byte[]>, String, byte[]>
        implements KeyValueStore<String, byte[]> {

    // The states changed since the last flush, by sensor id: the objects the processor holds.
    private final Map<String, SensorState> changed = new HashMap<>();

    private SensorStateStore(KeyValueStore<String, byte[]> store) {
        super(store);
    }

    /**
     * The builder of the sensors' store: persistent and changelogged, and cached, so that RocksDB and the changelog
     * see one write per sensor per commit.
     */
    static StoreBuilder<KeyValueStore<String, byte[]>> builder() {
        return new Builder(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StreamNames.SENSOR_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
    }

    /** The store behind what {@code ProcessorContext.getStateStore} returns (Kafka Streams wraps it). */
    static SensorStateStore of(StateStore store) {
        StateStore s = store;
        while (!(s instanceof SensorStateStore) && s instanceof WrappedStateStore<?, ?, ?> wrapper) {
            s = wrapper.wrapped();
        }
        if (!(s instanceof SensorStateStore sensors)) {
            throw new IllegalStateException("the store '" + store.name() + "' is not the sensor-state store");
        }
        return sensors;
    }

    /** The sensor's state changed: it is encoded and written at the next flush (or {@link #writeNow}). */
    void changed(String sensorId, SensorState state) {
        changed.put(sensorId, state);
    }

    /** Writes the sensor's changed state now, if it has one: its object is about to hold another sensor's. */
    void writeNow(String sensorId) {
        SensorState state = changed.remove(sensorId);
        if (state != null) {
            wrapped().put(sensorId, SensorStateCodec.encode(state));
        }
    }

    /**
     * Drops the sensor's changed state unwritten: its reading failed half-way, so the store's state (as of the last
     * commit) is the one to go on from.
     */
    void forget(String sensorId) {
        changed.remove(sensorId);
    }

    private void writeChanged() {
        if (changed.isEmpty()) {
            return;
        }
        KeyValueStore<String, byte[]> store = wrapped();
        for (Map.Entry<String, SensorState> e : changed.entrySet()) {
            store.put(e.getKey(), SensorStateCodec.encode(e.getValue()));
        }
        changed.clear();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        changed.clear();
        super.init(context, root);
    }

    /** Before a commit: the changed states go into the cache, which sends them on to RocksDB and the changelog. */
    @Override
    public void flushCache() {
        writeChanged();
        super.flushCache();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writeChanged();
        super.commit(changelogOffsets);
    }

    /** An aborted transaction: what was not committed is dropped, like the cache's entries. */
    @Override
    public void clearCache() {
        changed.clear();
        super.clearCache();
    }

    @Override
    public void close() {
        changed.clear();
        super.close();
    }

    @Override
    public void put(String key, byte[] value) {
        changed.remove(key);
        wrapped().put(key, value);
    }

    @Override
    public byte[] putIfAbsent(String key, byte[] value) {
        writeNow(key);
        return wrapped().putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<String, byte[]>> entries) {
        entries.forEach(e -> changed.remove(e.key));
        wrapped().putAll(entries);
    }

    @Override
    public byte[] delete(String key) {
        changed.remove(key);
        return wrapped().delete(key);
    }

    @Override
    public byte[] get(String key) {
        return wrapped().get(key);
    }

    @Override
    public KeyValueIterator<String, byte[]> range(String from, String to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<String, byte[]> reverseRange(String from, String to) {
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, byte[]> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<String, byte[]> reverseAll() {
        return wrapped().reverseAll();
    }

    @Override
    public <S extends Serializer<P>, P> KeyValueIterator<String, byte[]> prefixScan(P prefix, S prefixKeySerializer) {
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    /** Builds Kafka Streams' store and wraps it; caching and logging are the wrapped builder's. */
    private record Builder(StoreBuilder<KeyValueStore<String, byte[]>> inner)
            implements StoreBuilder<KeyValueStore<String, byte[]>> {

        @Override
        public StoreBuilder<KeyValueStore<String, byte[]>> withCachingEnabled() {
            return new Builder(inner.withCachingEnabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<String, byte[]>> withCachingDisabled() {
            return new Builder(inner.withCachingDisabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<String, byte[]>> withLoggingEnabled(Map<String, String> config) {
            return new Builder(inner.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<KeyValueStore<String, byte[]>> withLoggingDisabled() {
            return new Builder(inner.withLoggingDisabled());
        }

        @Override
        public KeyValueStore<String, byte[]> build() {
            return new SensorStateStore(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
