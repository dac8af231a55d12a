package dev.streamcast.stream;

import dev.streamcast.model.Features;
import dev.streamcast.model.TrainingSet;
import dev.streamcast.wire.SampleBatch;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's bounded buffer of recent samples per model id, kept in a persistent store (with a changelog, so
 * it survives restarts and moves with its partition). A ring of chunks of {@link #CHUNK_SAMPLES} samples: new
 * samples fill the head chunk; once it is full the ring moves on, replacing the oldest chunk.
 *
 * <p>Why chunks: one store entry per sample made a store write (and, at each commit, a changelog record) per
 * sample, as many records as the readings themselves. With chunks, a batch of samples costs one write per chunk
 * it fills plus one for the partly filled head.
 *
 * <p>Store layout: {@code b<len>:<modelId>} holds the model's bookkeeping ({@link Meta});
 * {@code c<len>:<modelId>:<index>} holds one chunk (samples end to end as {@link SampleBatch} lays them out: the
 * window's raw features (the values alone for {@code model.features} value), the sensor's level and step RMS, the
 * value that followed, as doubles). The bookkeeping records the features (format 3; format 2, the value alone, for a
 * value-only buffer, as before features): a buffer kept with other features starts over. The ring has ceil(capacity /
 * chunk) + 1 chunks, so the most recent {@code capacity} samples are always held, whatever the head chunk's fill.
 */
final class ReplayBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayBuffer.class);

    static final int CHUNK_SAMPLES = 128;
    static final String META_PREFIX = "b";
    private static final byte META_FORMAT = 2;
    private static final byte META_FORMAT_FEATURES = 3;
    private static final int META_BYTES = 1 + 4 * 4 + 8 * 3;

    /** Bookkeeping of one model's buffer and of its retraining schedule. */
    static final class Meta {
        int ring;
        int head;
        int fill;
        int windowLength;
        /** Samples ever added. */
        long total;
        /** The stream's position (in samples) when the last retraining started: the schedule counts from it. */
        long lastStartPosition;
        long lastTrainingMs;

        /** {@link Features#code()} of the samples' features. */
        int featuresCode = Features.VALUE.code();

        byte[] toBytes() {
            boolean valueOnly = featuresCode == Features.VALUE.code();
            ByteBuffer b = ByteBuffer.allocate(META_BYTES + (valueOnly ? 0 : 4))
                    .put(valueOnly ? META_FORMAT : META_FORMAT_FEATURES).putInt(ring).putInt(head).putInt(fill)
                    .putInt(windowLength).putLong(total).putLong(lastStartPosition).putLong(lastTrainingMs);
            if (!valueOnly) {
                b.putInt(featuresCode);
            }
            return b.array();
        }

        /** The bookkeeping, or null when the bytes are not this format. */
        static Meta fromBytes(byte[] bytes) {
            boolean valueOnly = bytes != null && bytes.length == META_BYTES && bytes[0] == META_FORMAT;
            boolean features = bytes != null && bytes.length == META_BYTES + 4 && bytes[0] == META_FORMAT_FEATURES;
            if (!valueOnly && !features) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            Meta m = new Meta();
            m.ring = b.getInt();
            m.head = b.getInt();
            m.fill = b.getInt();
            m.windowLength = b.getInt();
            m.total = b.getLong();
            m.lastStartPosition = b.getLong();
            m.lastTrainingMs = b.getLong();
            m.featuresCode = features ? b.getInt() : Features.VALUE.code();
            return m;
        }
    }

    private final KeyValueStore<String, byte[]> store;
    private final int capacity;
    private final int windowLength;
    private final Features features;
    private final int sampleBytes;
    private final int ring;
    // The head chunk being filled, copied in from the store for each batch.
    private final byte[] head;
    // The bookkeeping last read or saved per model id: it is read for every batch, and only this buffer writes it.
    private final Map<String, Meta> metas = new HashMap<>();

    ReplayBuffer(KeyValueStore<String, byte[]> store, int capacity, int windowLength) {
        this(store, capacity, windowLength, Features.VALUE);
    }

    ReplayBuffer(KeyValueStore<String, byte[]> store, int capacity, int windowLength, Features features) {
        this.store = store;
        this.capacity = capacity;
        this.windowLength = windowLength;
        this.features = features;
        this.sampleBytes = SampleBatch.sampleBytes(windowLength * features.count());
        this.ring = (capacity + CHUNK_SAMPLES - 1) / CHUNK_SAMPLES + 1;
        this.head = new byte[CHUNK_SAMPLES * sampleBytes];
    }

    static String metaKey(String modelId) {
        return META_PREFIX + modelId.length() + ":" + modelId;
    }

    /** The model id a meta key belongs to. */
    static String modelIdOf(String metaKey) {
        return metaKey.substring(metaKey.indexOf(':') + 1);
    }

    private static String chunkKey(String modelId, int index) {
        return "c" + modelId.length() + ":" + modelId + ":" + index;
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
            if (meta == null || meta.ring != ring || meta.windowLength != windowLength
                    || meta.featuresCode != features.code()) {
                // Written with another buffer size, window length or features (the configuration changed): start over.
                LOG.info("the replay buffer of model '{}' was kept with another retrain.buffer.size, window.length or"
                        + " model.features; starting it over", modelId);
                return null;
            }
            metas.put(modelId, meta);
        }
        return meta;
    }

    /** The bookkeeping of a model seen for the first time. */
    Meta create(String modelId, long nowMs) {
        Meta meta = new Meta();
        meta.ring = ring;
        meta.windowLength = windowLength;
        meta.featuresCode = features.code();
        meta.lastTrainingMs = nowMs;
        metas.put(modelId, meta);
        return meta;
    }

    void saveMeta(String modelId, Meta meta) {
        store.put(metaKey(modelId), meta.toBytes());
        metas.put(modelId, meta);
    }

    /** Samples a retraining would use now: the most recent {@code capacity} at most. */
    int held(Meta meta) {
        long available = Math.min(meta.total, (long) (ring - 1) * CHUNK_SAMPLES + meta.fill);
        return (int) Math.min(capacity, available);
    }

    /** Appends every sample of a batch, then saves the bookkeeping. */
    void append(String modelId, Meta meta, SampleBatch.Reader batch) {
        byte[] stored = meta.fill == 0 ? null : store.get(chunkKey(modelId, meta.head));
        if (stored != null) {
            meta.fill = Math.min(meta.fill, stored.length / sampleBytes);
            System.arraycopy(stored, 0, head, 0, meta.fill * sampleBytes);
        } else {
            meta.fill = 0;
        }
        for (int i = 0; i < batch.count(); i++) {
            batch.copySample(i, head, meta.fill * sampleBytes);
            meta.fill++;
            meta.total++;
            if (meta.fill == CHUNK_SAMPLES) {
                store.put(chunkKey(modelId, meta.head), head.clone());
                meta.head = (meta.head + 1) % ring;
                meta.fill = 0;
            }
        }
        if (meta.fill > 0) {
            store.put(chunkKey(modelId, meta.head), Arrays.copyOf(head, meta.fill * sampleBytes));
        }
        saveMeta(modelId, meta);
    }

    /** The samples a retraining uses ({@link #held}), oldest first. */
    TrainingSet snapshot(String modelId, Meta meta) {
        int full = (int) Math.min(ring - 1, (meta.total - meta.fill) / CHUNK_SAMPLES);
        int available = full * CHUNK_SAMPLES + meta.fill;
        int want = held(meta);
        int skip = available - want;
        TrainingSet set = new TrainingSet(windowLength, features, Math.max(1, want));
        int rowSize = windowLength * features.count();
        double[] window = new double[rowSize];
        for (int c = full; c >= 0; c--) {
            int index = Math.floorMod(meta.head - c, ring);
            int samples = c == 0 ? meta.fill : CHUNK_SAMPLES;
            if (skip >= samples) {
                skip -= samples;
                continue;
            }
            byte[] bytes = samples == 0 ? null : store.get(chunkKey(modelId, index));
            if (bytes == null || bytes.length < samples * sampleBytes) {
                LOG.warn("the replay buffer of model '{}' lacks chunk {}; training without its samples", modelId,
                        index);
                skip = Math.max(0, skip - samples);
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            for (int s = skip; s < samples; s++) {
                int at = s * sampleBytes;
                for (int t = 0; t < rowSize; t++) {
                    window[t] = b.getDouble(at + 8 * t);
                }
                set.add(window, 0, b.getDouble(at + 8 * rowSize), b.getDouble(at + 8 * (rowSize + 1)),
                        b.getDouble(at + 8 * (rowSize + 2)));
            }
            skip = 0;
        }
        return set;
    }
}
