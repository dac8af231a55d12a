package dev.streamcast.stream;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.wire.SampleBatch;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A reading task's training samples not sent yet ({@link SampleBatch}): one batch for the shared model, keyed by
 * its model id, or in per-sensor scope one per sensor, keyed by the sensor's key bytes, so each goes to the partition
 * of that sensor's trainer. A batch is sent when full, and every batch by {@link #sendAll} once per commit interval.
 */
final class TaskSampleBatches {

    private final int windowLength;
    private final int featuresCode;
    private final int featuresPerStep;
    private final long origin;
    private final byte[] sharedModelKey;
    private final SampleBatch.Writer shared;
    private final Map<String, KeyedBatch> bySensor = new HashMap<>();
    private ProcessorContext<byte[], byte[]> context;
    private long batchTimestamp;

    private record KeyedBatch(byte[] key, SampleBatch.Writer writer) {
    }

    /**
     * @param origin     this instance's origin, written into every batch (StreamMetrics.origin)
     */
    TaskSampleBatches(ForecastSettings settings, long origin) {
        this.windowLength = settings.windowLength();
        this.featuresCode = settings.features().code();
        this.featuresPerStep = settings.features().count();
        this.origin = origin;
        this.sharedModelKey = settings.modelId().getBytes(StandardCharsets.UTF_8);
        this.shared = settings.perSensor() ? null : writer(1024);
    }

    void init(ProcessorContext<byte[], byte[]> processorContext) {
        this.context = processorContext;
    }

    private SampleBatch.Writer writer(int initialSamples) {
        return new SampleBatch.Writer(windowLength, featuresCode, featuresPerStep, origin, initialSamples);
    }

    /**
     * Adds the sample (the window's row of model.features, level, step, next value) of a reading to its model's
     * batch.
     */
    void add(Record<byte[], byte[]> record, String sensorId, double[] window, double level, double stepRms,
             double value) {
        SampleBatch.Writer batch;
        byte[] key;
        if (shared != null) {
            batch = shared;
            key = sharedModelKey;
        } else {
            KeyedBatch keyed = bySensor.get(sensorId);
            if (keyed == null) {
                keyed = new KeyedBatch(record.key(), writer(4));
                bySensor.put(sensorId, keyed);
            }
            batch = keyed.writer();
            key = keyed.key();
        }
        batch.add(window, level, stepRms, value);
        batchTimestamp = record.timestamp();
        if (batch.isFull()) {
            send(key, batch);
        }
    }

    /** Sends every batch not yet sent (a punctuation, once per commit interval). */
    void sendAll() {
        if (shared != null) {
            if (!shared.isEmpty()) {
                send(sharedModelKey, shared);
            }
            return;
        }
        for (KeyedBatch keyed : bySensor.values()) {
            if (!keyed.writer().isEmpty()) {
                send(keyed.key(), keyed.writer());
            }
        }
        // Per-sensor batches are small and many: let the idle ones go rather than keep a buffer per sensor forever.
        bySensor.clear();
    }

    private void send(byte[] key, SampleBatch.Writer batch) {
        context.forward(new Record<>(key, batch.drain(), batchTimestamp), StreamNames.SAMPLES_SINK);
    }
}
