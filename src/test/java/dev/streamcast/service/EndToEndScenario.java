package dev.streamcast.service;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.testing.BrokerSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The end-to-end scenario both the embedded broker and a Testcontainers broker run: readings in, forecasts out
 * through the real service, exactly one per eligible reading for a read_committed consumer, a model trained from
 * the stream, and a restart that resumes with the same model.
 */
public final class EndToEndScenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int SENSORS = 20;
    static final int READINGS_PER_SENSOR = 40;
    /** How long the verifier waits for the next forecast before it calls the service stuck. */
    private static final long STALL_MILLIS = 90_000;
    /** How long the verifier reads in all. */
    private static final long LIMIT_MILLIS = 300_000;

    private final String bootstrap;
    private final Path stateDir;
    private final String applicationId = "streamcast-e2e-" + UUID.randomUUID();

    EndToEndScenario(String bootstrap, Path stateDir) {
        this.bootstrap = bootstrap;
        this.stateDir = stateDir;
    }

    StreamcastConfig config() {
        Map<String, String> m = BrokerSettings.service(bootstrap, applicationId, stateDir);
        m.put("topics.partitions", "2");
        m.put("retrain.every.samples", "300");
        m.put("retrain.min.samples", "300");
        m.put("retrain.epochs", "5");
        m.put("retrain.batch-size", "8");
        return StreamcastConfig.of(m);
    }

    void run() throws Exception {
        Topics topics = Topics.from(config());
        long firstVersion;
        try (StreamcastService service = new StreamcastService(config())) {
            service.start();
            produce(topics.readings(), 0, READINGS_PER_SENSOR);
            // every reading from the third of each sensor on gets exactly one forecast
            Map<String, Integer> forecasts = readForecasts(topics.forecasts(), SENSORS * (READINGS_PER_SENSOR - 2));
            assertEquals(SENSORS, forecasts.size());
            forecasts.values().forEach(n -> assertEquals(READINGS_PER_SENSOR - 2, n));
            await("a model trained from the stream", Duration.ofSeconds(90))
                    .until(() -> service.registry().get("default") != null);
            firstVersion = service.registry().get("default").version();
            assertTrue(firstVersion >= 1);
        }
        // A new service process on the same application id and state: it uses the newest model at once.
        try (StreamcastService restarted = new StreamcastService(config())) {
            restarted.start();
            await("the restarted service running", Duration.ofSeconds(60)).until(restarted::isRunning);
            await("the model restored", Duration.ofSeconds(30))
                    .until(() -> restarted.registry().get("default") != null);
            assertTrue(restarted.registry().get("default").version() >= firstVersion);
            produce(topics.readings(), READINGS_PER_SENSOR, READINGS_PER_SENSOR + 1);
            List<JsonNode> after = readForecastsFrom(topics.forecasts(), SENSORS * (READINGS_PER_SENSOR - 1));
            JsonNode last = after.get(after.size() - 1);
            assertEquals("lstm", last.path("model").asText(), last.toString());
            assertTrue(last.path("modelVersion").asLong() >= firstVersion);
        }
    }

    /** Readings t in [from, to) of every sensor: rising ramps at different levels. */
    private void produce(String topic, int from, int to) {
        Properties props = BrokerSettings.client(bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        long t0 = 1_780_000_000_000L;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int t = from; t < to; t++) {
                for (int s = 0; s < SENSORS; s++) {
                    double value = s * 100 + 0.5 * t;
                    producer.send(new ProducerRecord<>(topic, "sensor-" + s,
                            "{\"value\": " + value + ", \"timestamp\": " + (t0 + t * 60_000L) + "}"));
                }
            }
            producer.flush();
        }
    }

    private Map<String, Integer> readForecasts(String topic, int expected) throws IOException {
        Map<String, Integer> perSensor = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode f : readForecastsFrom(topic, expected)) {
            String id = f.path("sensorId").asText() + "@" + f.path("timestamp").asText();
            assertTrue(seen.add(id), "one forecast per sensor and reading: " + id);
            perSensor.merge(f.path("sensorId").asText(), 1, Integer::sum);
        }
        return perSensor;
    }

    /**
     * Reads the topic from the start with read_committed until {@code expected} records, then a little longer. It gives
     * up only when no record came for {@value #STALL_MILLIS} ms (or after {@value #LIMIT_MILLIS} ms in all): on a
     * loaded 2-core machine the service may be slow without being stuck, and a stall is what this test is after.
     */
    private List<JsonNode> readForecastsFrom(String topic, int expected) throws IOException {
        Properties props = BrokerSettings.verifier(bootstrap);
        List<JsonNode> out = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long limit = System.currentTimeMillis() + LIMIT_MILLIS;
            long stalledAt = System.currentTimeMillis() + STALL_MILLIS;
            long quietUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(Math.min(limit, stalledAt), quietUntil)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(JSON.readTree(r.value()));
                    stalledAt = System.currentTimeMillis() + STALL_MILLIS;
                }
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    // keep reading a moment: a duplicate would show up now
                    quietUntil = System.currentTimeMillis() + 1500;
                }
            }
        }
        assertEquals(expected, out.size(), "forecasts on " + topic);
        return out;
    }

}
