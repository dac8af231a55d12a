package dev.streamcast.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.kafka.TestBrokers;
import dev.streamcast.stream.StreamNames;
import dev.streamcast.testing.BrokerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mapped format on a real broker: devices publish one JSON message with several measurements and their id inside,
 * with no key, spread over the readings topic's partitions; the service re-keys each measurement as a sensor
 * {@code <device>.<field>}, repartitions it, and forecasts every eligible reading exactly once (read_committed). Each
 * sensor's state is in the partition the API looks it up in. Prints the repartition topic's bytes per reading.
 */
@Tag("broker")
class MappedInputBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEVICES = 6;
    private static final int PARTITIONS = 3;
    private static final int MESSAGES = 30;
    private static final List<String> FIELDS = List.of("temperature", "humidity");

    @TempDir
    Path brokerDir;

    @TempDir
    Path stateDir;

    @Test
    void devicesJsonWithANullKeyIsForecastPerFieldExactlyOnce() throws Exception {
        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(brokerDir)) {
            String bootstrap = broker.bootstrapServers();
            String applicationId = "streamcast-mapped-" + UUID.randomUUID();
            Map<String, String> m = BrokerSettings.service(bootstrap, applicationId, stateDir);
            m.put("topics.partitions", Integer.toString(PARTITIONS));
            // Advertised, so interactive queries say which partition holds a key (nothing listens there).
            m.put("kafka.application.server", "localhost:1");
            m.put("input.format", "json");
            m.put("input.json.sensor", "/device");
            m.put("input.json.values", "/temperature,/humidity");
            m.put("input.json.timestamp", "/ts");
            StreamcastConfig config = StreamcastConfig.of(m);
            Topics topics = Topics.from(config);
            try (StreamcastService service = new StreamcastService(config)) {
                service.start();
                produce(bootstrap, topics.readings());
                int expected = DEVICES * FIELDS.size() * (MESSAGES - 2);
                Map<String, Integer> perSensor = readForecasts(bootstrap, topics.forecasts(), expected);
                assertEquals(0, service.metrics().refusedTotal(), "refused readings");
                assertEquals(DEVICES * FIELDS.size(), perSensor.size(), perSensor.toString());
                for (int d = 0; d < DEVICES; d++) {
                    for (String field : FIELDS) {
                        assertEquals(MESSAGES - 2, perSensor.get("m-" + d + "." + field), "m-" + d + "." + field);
                        assertInThePartitionTheApiLooksIn(service, "m-" + d + "." + field);
                    }
                }
                printBytesPerReading(bootstrap, applicationId + "-" + StreamNames.BY_SENSOR_REPARTITION
                        + "-repartition", topics.readings(), DEVICES * FIELDS.size() * MESSAGES);
            }
        }
    }

    /**
     * Epoch seconds in "ts", no key. Each device writes to a partition of its own (d mod 3), as a producer keyed by
     * device would: a sensor's readings on several partitions could be processed out of order and refused as late
     * (docs/connecting.md). The sensors' ids hash to other partitions, which the repartition brings them to.
     */
    private static void produce(String bootstrap, String topic) {
        Properties props = BrokerSettings.client(bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        long t0 = 1_780_000_000L;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int t = 0; t < MESSAGES; t++) {
                for (int d = 0; d < DEVICES; d++) {
                    producer.send(new ProducerRecord<>(topic, d % PARTITIONS, null, String.format(Locale.ROOT,
                            "{\"device\": \"m-%d\", \"ts\": %d, \"temperature\": %.1f, \"humidity\": %.1f}", d,
                            t0 + 60L * t, 20 + d + 0.1 * t, 40 + d - 0.2 * t)));
                }
            }
            producer.flush();
        }
    }

    private static Map<String, Integer> readForecasts(String bootstrap, String topic, int expected) throws Exception {
        Properties props = BrokerSettings.verifier(bootstrap);
        Map<String, Integer> perSensor = new HashMap<>();
        Set<String> seen = new HashSet<>();
        int count = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long stalledAt = System.currentTimeMillis() + 90_000;
            long quietUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(stalledAt, quietUntil)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode forecast = JSON.readTree(r.value());
                    String sensor = forecast.path("sensorId").asText();
                    assertEquals(sensor, r.key(), "forecasts are keyed by the mapped sensor id");
                    assertTrue(seen.add(sensor + "@" + forecast.path("timestamp").asText()),
                            "a duplicate: " + r.value());
                    perSensor.merge(sensor, 1, Integer::sum);
                    count++;
                    stalledAt = System.currentTimeMillis() + 90_000;
                }
                if (count >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.currentTimeMillis() + 1500;
                }
            }
        }
        assertEquals(expected, count, "forecasts");
        return perSensor;
    }

    /** The state of the sensor is in the store of the partition interactive queries name for its id. */
    private static void assertInThePartitionTheApiLooksIn(StreamcastService service, String sensorId) {
        KeyQueryMetadata metadata = service.streams().queryMetadataForKey(StreamNames.SENSOR_STORE, sensorId,
                new StringSerializer());
        ReadOnlyKeyValueStore<String, byte[]> store = service.streams().store(StoreQueryParameters
                .fromNameAndType(StreamNames.SENSOR_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
                .withPartition(metadata.partition()));
        assertNotNull(store.get(sensorId), sensorId + " is not in partition " + metadata.partition());
    }

    /** The repartition topic's and the readings topic's bytes on disk per reading, for docs/connecting.md. */
    private static void printBytesPerReading(String bootstrap, String repartition, String readings, int count)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
            long repartitionBytes = 0;
            long readingsBytes = 0;
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get()
                    .values()) {
                for (LogDirDescription dir : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> e : dir.replicaInfos().entrySet()) {
                        if (e.getKey().topic().equals(repartition)) {
                            repartitionBytes += e.getValue().size();
                        } else if (e.getKey().topic().equals(readings)) {
                            readingsBytes += e.getValue().size();
                        }
                    }
                }
            }
            assertTrue(repartitionBytes > 0, "no repartition topic " + repartition);
            System.out.printf(Locale.ROOT, "repartition topic: %d bytes for %d readings, %.1f bytes per reading "
                    + "(readings topic: %.1f bytes per reading)%n", repartitionBytes, count,
                    (double) repartitionBytes / count, (double) readingsBytes / count);
        }
    }
}
