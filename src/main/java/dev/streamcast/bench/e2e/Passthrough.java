package dev.streamcast.bench.e2e;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The baseline of the throughput comparison: a topology that copies each reading, bytes unchanged, to an output
 * topic. What it costs is the floor any Kafka Streams application pays on this broker (consume, produce, commit);
 * the forecasting topology's rate is stated as a share of it.
 */
final class Passthrough {

    private Passthrough() {
    }

    static Topology build(String input, String output) {
        Topology topology = new Topology();
        topology.addSource("readings-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
        topology.addSink("copy-sink", output, new ByteArraySerializer(), new ByteArraySerializer(), "readings-source");
        return topology;
    }
}
