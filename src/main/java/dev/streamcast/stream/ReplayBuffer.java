package dev.streamcast.stream;

import dev.streamcast.model.TrainingSet;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The trainer's bounded buffer of recent samples per model id, kept in a persistent store (with a changelog, so
 * it survives restarts and moves with its partition). A ring: once full, each new sample replaces the oldest.
 *
 * <p>Store layout: {@code m<len>:<modelId>} holds the model's bookkeeping ({@link Meta});
 * {@code s<len>:<modelId>:<index>} holds one sample (window values, then the value that followed).
 */
final class ReplayBuffer {

    /** Bookkeeping of one model's buffer and its retraining schedule. */
    static final class Meta {
        int size;
        int next;
        long total;
        long sinceTraining;
        long lastTrainingMs;

        byte[] toBytes() {
            return ByteBuffer.allocate(4 + 4 + 8 + 8 + 8).putInt(size).putInt(next).putLong(total).putLong(sinceTraining)
                    .putLong(lastTrainingMs).array();
        }

        static Meta fromBytes(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            Meta m = new Meta();
            m.size = b.getInt();
            m.next = b.getInt();
            m.total = b.getLong();
            m.sinceTraining = b.getLong();
            m.lastTrainingMs = b.getLong();
            return m;
        }
    }

    static final String META_PREFIX = "m";

    private final KeyValueStore<String, byte[]> store;
    private final int capacity;
    private final int windowLength;
    // The bookkeeping last read or saved per model id: it is read for every sample, and only this buffer writes it.
    private final Map<String, Meta> metas = new HashMap<>();

    ReplayBuffer(KeyValueStore<String, byte[]> store, int capacity, int windowLength) {
        this.store = store;
        this.capacity = capacity;
        this.windowLength = windowLength;
    }

    static String metaKey(String modelId) {
        return META_PREFIX + modelId.length() + ":" + modelId;
    }

    /** The model id a meta key belongs to. */
    static String modelIdOf(String metaKey) {
        return metaKey.substring(metaKey.indexOf(':') + 1);
    }

    private static String sampleKey(String modelId, int index) {
        return "s" + modelId.length() + ":" + modelId + ":" + index;
    }

    /** The bookkeeping of a model, or null when it has no samples yet. */
    Meta meta(String modelId) {
        Meta meta = metas.get(modelId);
        if (meta == null) {
            byte[] bytes = store.get(metaKey(modelId));
            if (bytes == null) {
                return null;
            }
            meta = Meta.fromBytes(bytes);
            metas.put(modelId, meta);
        }
        return meta;
    }

    void saveMeta(String modelId, Meta meta) {
        store.put(metaKey(modelId), meta.toBytes());
        metas.put(modelId, meta);
    }

    /** Adds a sample, replacing the oldest when full; the caller saves the returned bookkeeping. */
    Meta add(String modelId, Meta meta, double[] window, double actual) {
        ByteBuffer b = ByteBuffer.allocate(8 * (windowLength + 1));
        for (int k = 0; k < windowLength; k++) {
            b.putDouble(window[k]);
        }
        b.putDouble(actual);
        store.put(sampleKey(modelId, meta.next), b.array());
        meta.next = (meta.next + 1) % capacity;
        meta.size = Math.min(meta.size + 1, capacity);
        meta.total++;
        meta.sinceTraining++;
        return meta;
    }

    /** Every sample of a model, oldest first. */
    TrainingSet snapshot(String modelId, Meta meta) {
        TrainingSet set = new TrainingSet(windowLength, Math.max(1, meta.size));
        int oldest = meta.size < capacity ? 0 : meta.next;
        double[] window = new double[windowLength];
        for (int k = 0; k < meta.size; k++) {
            byte[] bytes = store.get(sampleKey(modelId, (oldest + k) % capacity));
            if (bytes == null || bytes.length != 8 * (windowLength + 1)) {
                // A sample written with another window length (window.length changed): not usable.
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            for (int t = 0; t < windowLength; t++) {
                window[t] = b.getDouble();
            }
            set.add(window, 0, b.getDouble());
        }
        return set;
    }
}
