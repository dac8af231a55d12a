package dev.streamcast.service;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.kafka.TestBrokers;
import dev.streamcast.testing.BrokerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sensors' states reach the store by each commit although the stream encodes them only then
 * (SensorStateStore): with more sensors on one task than it keeps decoded (ReadingProcessor.SENSOR_CACHE_SIZE), a
 * state changed since the last commit leaves the cache to make room and must be written as it leaves; and a clean
 * stop writes the rest. A second service on the same state forecasts each sensor's next reading from a window of its
 * three last readings, the two before the stop included.
 */
@Tag("broker")
class SensorStatesAcrossCommitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SENSORS = 6000;
    private static final long T0 = 1_780_000_000_000L;

    @TempDir
    Path brokerDir;

    @TempDir
    Path stateDir;

    @Test
    void everySensorsWindowCarriesOverEvictionsAndARestart() throws Exception {
        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(brokerDir)) {
            Map<String, String> m = BrokerSettings.service(broker.bootstrapServers(), "states-across-commits-"
                    + UUID.randomUUID(), stateDir);
            m.put("topics.partitions", "1");
            StreamcastConfig config = StreamcastConfig.of(m);
            Topics topics = Topics.from(config);
            try (KafkaConsumer<String, String> forecasts = new KafkaConsumer<>(
                    BrokerSettings.verifier(broker.bootstrapServers()), new StringDeserializer(),
                    new StringDeserializer())) {
                try (StreamcastService service = new StreamcastService(config)) {
                    service.start();
                    produce(broker.bootstrapServers(), topics.readings(), 0, 3);
                    forecasts.subscribe(List.of(topics.forecasts()));
                    assertEquals(SENSORS, read(forecasts, SENSORS).size(), "one forecast per sensor's third reading");
                }
                try (StreamcastService restarted = new StreamcastService(config)) {
                    restarted.start();
                    produce(broker.bootstrapServers(), topics.readings(), 3, 4);
                    Map<String, JsonNode> after = read(forecasts, SENSORS);
                    assertEquals(SENSORS, after.size(), "every sensor forecast again at its fourth reading");
                    for (int s = 0; s < SENSORS; s++) {
                        JsonNode window = after.get("sensor-" + s).path("window");
                        assertEquals(List.of(value(s, 1), value(s, 2), value(s, 3)),
                                List.of(window.get(0).asDouble(), window.get(1).asDouble(), window.get(2).asDouble()),
                                "sensor-" + s + "'s window");
                    }
                }
            }
        }
    }

    private static double value(int sensor, int t) {
        return sensor + 0.5 * t;
    }

    /** Readings t in [from, to) of every sensor, a minute apart. */
    private static void produce(String bootstrap, String topic, int from, int to) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(BrokerSettings.client(bootstrap),
                new StringSerializer(), new StringSerializer())) {
            for (int t = from; t < to; t++) {
                for (int s = 0; s < SENSORS; s++) {
                    producer.send(new ProducerRecord<>(topic, "sensor-" + s, "{\"value\": " + value(s, t)
                            + ", \"timestamp\": " + (T0 + t * 60_000L) + "}"));
                }
            }
            producer.flush();
        }
    }

    /** The next {@code expected} forecasts the consumer reads, by sensor id (the last one of each). */
    private static Map<String, JsonNode> read(KafkaConsumer<String, String> consumer, int expected) {
        Map<String, JsonNode> bySensor = new HashMap<>();
        int[] count = {0};
        await("" + expected + " forecasts", Duration.ofSeconds(120)).until(() -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                JsonNode f = JSON.readTree(r.value());
                bySensor.put(f.path("sensorId").asText(), f);
                count[0]++;
            }
            return count[0] >= expected;
        });
        assertEquals(expected, count[0], "no more forecasts than readings");
        return bySensor;
    }
}
