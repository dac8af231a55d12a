package dev.streamcast.ops;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.logging.ExpectedFaults;
import dev.streamcast.stream.InternalErrorHandler;
import dev.streamcast.stream.StreamNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running service meets a record it fails on: a sensor whose state in the changelog is corrupt (the service
 * restores it into its store at start, and cannot decode it). Its reading reaches the dead-letter topic with reason
 * internal-error, committed (a read_committed consumer sees it), the other sensors' forecasts go on,
 * {@code streamcast_internal_errors_total} counts it, and GET /ready answers 503 saying why once the errors pass
 * {@code http.ready.max-internal-errors-per-minute} (here 0: at the first).
 */
@ExpectedFaults("a corrupt changelog record: the handler logs the record it sends to the dead-letter topic")
@Tag("broker")
class InternalErrorReadinessTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aRecordTheServiceFailsOnIsADeadLetterAndPassingTheRateMakesItNotReady() throws Exception {
        try (OpsFixture fixture = new OpsFixture(dir)) {
            String applicationId = "internal-errors";
            // The sensor store's changelog, as a damaged one: the state of "corrupt" has a format byte SensorState
            // does not know. Same partition count as the readings, same key bytes: the same task owns both.
            String changelog = applicationId + "-" + StreamNames.SENSOR_STORE + "-changelog";
            Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrapServers());
            try (Admin a = Admin.create(admin)) {
                a.createTopics(List.of(new NewTopic(changelog, 2, (short) 1).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> producer = new HashMap<>(admin);
            producer.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(producer, new StringSerializer(),
                    new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(changelog, "corrupt", new byte[] {99, 0, 0, 0})).get(30, TimeUnit.SECONDS);
            }

            try (OpsFixture.Served served = fixture.serve(Map.of("kafka.application.id", applicationId,
                    "http.ready.max-internal-errors-per-minute", "0"))) {
                await("the service to be ready", Duration.ofSeconds(90))
                        .until(() -> served.http().get("/ready").status() == 200);
                fixture.produce("healthy", 0, 20.0, 20.5, 21.0);
                fixture.produce("corrupt", 0, 7.0);
                fixture.flush();

                List<ConsumerRecord<String, String>> dead = readCommitted(fixture, "streamcast-dlq", 1);
                assertEquals(1, dead.size(), "one dead letter: " + dead);
                ConsumerRecord<String, String> letter = dead.get(0);
                assertEquals("corrupt", letter.key());
                assertTrue(letter.value().contains("\"value\": 7.0"), letter.value());
                assertEquals(InternalErrorHandler.REASON, header(letter, "streamcast.error.reason"));
                assertEquals(IllegalStateException.class.getName(),
                        header(letter, InternalErrorHandler.HEADER_EXCEPTION));
                assertEquals("unknown sensor state format 99", header(letter, "streamcast.error.message"));
                assertEquals(1, readCommitted(fixture, "sensor-forecasts", 1).size(), "the healthy sensor's forecast");

                HttpProbe.Answer ready = served.http().get("/ready");
                assertEquals(503, ready.status(), ready.body());
                assertEquals("RUNNING", ready.json().path("state").asText(), ready.body());
                assertTrue(ready.json().path("reason").asText().contains("internal error"), ready.body());
                String metrics = served.http().get("/metrics").body();
                assertTrue(metrics.contains("streamcast_internal_errors_total 1.0"), metrics);
            }
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Up to {@code expected} committed records of {@code topic} (waits up to a minute), and a second for more. */
    private static List<ConsumerRecord<String, String>> readCommitted(OpsFixture fixture, String topic, int expected) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await(expected + " records on " + topic, Duration.ofMinutes(1)).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
            });
            consumer.poll(Duration.ofSeconds(1)).forEach(out::add);
        }
        return out;
    }
}
