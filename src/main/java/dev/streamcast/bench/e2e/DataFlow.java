package dev.streamcast.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The forecasting service's data flow with none of its work: each reading is copied, bytes unchanged, to two
 * topics (as the service writes a forecast and an accuracy record), and a batch of 48 bytes per reading is sent
 * once per commit interval or every 1,364 readings, keyed by the model id (as the service sends its training
 * samples), and read back by a second sub-topology that does nothing with them (as the trainer reads them). No
 * parsing, state, model or JSON. Its rate is what Kafka Streams and this broker allow that shape of
 * topology at best; the service's rate against it shows how much of the distance to the passthrough is the
 * service's own work and how much is the records the design asks for.
 */
final class DataFlow {

    private DataFlow() {
    }

    /** The topology; {@code samples} is both an output and the input of the second sub-topology. */
    static Topology build(String input, String forecasts, String accuracy, String samples, String modelId,
                          long flushMs) {
        Topology topology = new Topology();
        ByteArraySerializer bytes = new ByteArraySerializer();
        topology.addSource("readings-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
        topology.addProcessor("fan-out", () -> new FanOut(modelId.getBytes(StandardCharsets.UTF_8), flushMs),
                "readings-source");
        topology.addSink("forecasts-sink", forecasts, bytes, bytes, "fan-out");
        topology.addSink("accuracy-sink", accuracy, bytes, bytes, "fan-out");
        topology.addSink("samples-sink", samples, bytes, bytes, "fan-out");
        topology.addSource("samples-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), samples);
        topology.addProcessor("samples-read", Discard::new, "samples-source");
        return topology;
    }

    /** Copies each reading to the two outputs and sends a batch of sample-sized bytes per interval. */
    private static final class FanOut implements Processor<byte[], byte[], byte[], byte[]> {
        /** As stream/SampleBatch: a 19-byte header, 48 bytes per sample of window 3, at most 64 KiB. */
        private static final int HEADER = 19;
        private static final int SAMPLE = 48;
        private static final int MAX_SAMPLES = (64 * 1024 - HEADER) / SAMPLE;
        private final byte[] modelKey;
        private final long flushMs;
        private ProcessorContext<byte[], byte[]> context;
        private int pending;
        private long timestamp;

        FanOut(byte[] modelKey, long flushMs) {
            this.modelKey = modelKey;
            this.flushMs = flushMs;
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            context.schedule(Duration.ofMillis(flushMs), PunctuationType.WALL_CLOCK_TIME, now -> send());
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            context.forward(record, "forecasts-sink");
            context.forward(record, "accuracy-sink");
            timestamp = record.timestamp();
            if (++pending == MAX_SAMPLES) {
                send();
            }
        }

        private void send() {
            if (pending > 0) {
                context.forward(new Record<>(modelKey, new byte[HEADER + SAMPLE * pending], timestamp), "samples-sink");
                pending = 0;
            }
        }
    }

    /** Reads the samples back and drops them. */
    private static final class Discard implements Processor<byte[], byte[], Void, Void> {
        @Override
        public void process(Record<byte[], byte[]> record) {
            // Nothing: consuming them is the cost measured.
        }
    }
}
