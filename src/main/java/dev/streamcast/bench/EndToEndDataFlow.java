package dev.streamcast.bench;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The forecasting service's data flow with none of its work: each reading is copied, bytes unchanged, to three
 * topics (as the service writes a forecast, an accuracy record and a training sample, the sample keyed by the model
 * id), and the samples are read back by a second sub-topology that does nothing with them (as the trainer reads
 * them). No parsing, state, model or JSON. Its rate is what Kafka Streams and this broker allow that shape of
 * topology at best; the service's rate against it shows how much of the distance to the passthrough is the
 * service's own work and how much is the records the design asks for.
 */
final class EndToEndDataFlow {

    private EndToEndDataFlow() {
    }

    /** The topology; {@code samples} is both an output and the input of the second sub-topology. */
    static Topology build(String input, String forecasts, String accuracy, String samples, String modelId) {
        Topology topology = new Topology();
        ByteArraySerializer bytes = new ByteArraySerializer();
        topology.addSource("readings-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
        topology.addProcessor("fan-out", () -> new FanOut(modelId.getBytes(StandardCharsets.UTF_8)),
                "readings-source");
        topology.addSink("forecasts-sink", forecasts, bytes, bytes, "fan-out");
        topology.addSink("accuracy-sink", accuracy, bytes, bytes, "fan-out");
        topology.addSink("samples-sink", samples, bytes, bytes, "fan-out");
        topology.addSource("samples-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), samples);
        topology.addProcessor("samples-read", Discard::new, "samples-source");
        return topology;
    }

    /** Copies each reading to the three outputs. */
    private static final class FanOut implements Processor<byte[], byte[], byte[], byte[]> {
        private final byte[] modelKey;
        private ProcessorContext<byte[], byte[]> context;

        FanOut(byte[] modelKey) {
            this.modelKey = modelKey;
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            context.forward(record, "forecasts-sink");
            context.forward(record, "accuracy-sink");
            context.forward(record.withKey(modelKey), "samples-sink");
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
