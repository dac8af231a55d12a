package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.testing.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A healthy {@code streamcast run} prints no WARN and no ERROR (issue 29): a process on its own embedded broker,
 * exactly-once as configured by default, started on a fresh data directory, fed readings for about half a minute
 * while it forecasts and retrains, then stopped with SIGTERM. Every line of its stdout and of its log (stderr, with
 * Streamcast's production logback.xml) is read; a warning, an error or a stack trace fails the test with the lines.
 *
 * <p>What it guards against (docs/operations.md, "The embedded broker or your own Kafka"): the broker's
 * {@code OutOfOrderSequenceException ... Expected sequence 0 for transactions v2 idempotent producer} errors, which
 * came back as soon as the embedded broker's {@code add.partitions.to.txn.retry.backoff.max.ms} was Kafka's 100 ms
 * again, and Kafka's {@code TOPIC_ALREADY_EXISTS} warning of two clients racing to create the transaction log.
 */
@Tag("broker")
class QuietHealthyRunProcessTest {

    private static final List<String> SENSORS = List.of("quiet-a", "quiet-b", "quiet-c", "quiet-d");
    /**
     * Readings per sensor, one of each sensor every 60 ms for about 25 s: a steady stream, so that each transaction's
     * first records reach the broker while the last one's commit is still being completed, as in a busy service.
     */
    private static final int READINGS = 400;
    private static final Duration PACE = Duration.ofMillis(60);
    private static final Duration FORECASTS_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void aStartHalfAMinuteOfForecastsAndRetrainingAndAStopPrintNoWarningAndNoError() throws Exception {
        List<String> output;
        try (ServiceProcess service = ServiceProcess.start(dir, "retrain.min.samples=200")) {
            feedReadings(service.bootstrap());
            Map<String, Integer> forecasts = awaitForecasts(service.bootstrap());
            for (String sensor : SENSORS) {
                // window.length 3: every reading from the third on is forecast, once (exactly-once).
                assertEquals(READINGS - 2, forecasts.getOrDefault(sensor, 0), sensor + ": " + forecasts);
            }
            // The trainer's transactions too: a retraining done, whether its model was accepted or not.
            awaitLogLine(service, "retraining of model 'default' ");
            service.close();
            assertTrue(!service.isAlive(), "stopped");
            output = service.output();
        }
        assertTrue(output.stream().anyMatch(l -> l.contains("Stopped the embedded Kafka broker")),
                String.join("\n", output));
        List<String> problems = output.stream().filter(QuietHealthyRunProcessTest::isProblem).toList();
        assertEquals(List.of(), problems, "a healthy start, run and stop print no warning and no error");
    }

    /** A WARN or ERROR line of logback's pattern, or a stack trace's line. */
    private static boolean isProblem(String line) {
        return line.contains(" WARN ") || line.contains(" ERROR ") || line.startsWith("\tat ")
                || line.contains("Exception");
    }

    /** Each sensor's readings, one a minute apart (its time), sent at a steady pace as a device would. */
    private static void feedReadings(String bootstrap) throws InterruptedException {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            Instant start = Instant.now().minus(Duration.ofMinutes(READINGS));
            for (int k = 0; k < READINGS; k++) {
                for (int s = 0; s < SENSORS.size(); s++) {
                    // A slow wave per sensor: something a model can learn, in each sensor's own range.
                    double value = 20 + 5 * s + Math.sin(k / 5.0 + s);
                    String json = String.format(Locale.ROOT, "{\"value\": %.3f, \"timestamp\": \"%s\"}", value,
                            start.plus(Duration.ofMinutes(k)));
                    producer.send(new ProducerRecord<>("sensor-readings", SENSORS.get(s), json));
                }
                producer.flush();
                Thread.sleep(PACE.toMillis());
            }
        }
    }

    /** Reads sensor-forecasts (read_committed) until every sensor has all its forecasts or the timeout passes. */
    private static Map<String, Integer> awaitForecasts(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "quiet-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("sensor-forecasts"));
            Waits.await("every sensor's forecasts", FORECASTS_TIMEOUT).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    counts.merge(record.key(), 1, Integer::sum);
                }
                return allForecast(counts);
            });
            // A little longer: a duplicate forecast would arrive now.
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(2))) {
                counts.merge(record.key(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static boolean allForecast(Map<String, Integer> counts) {
        return SENSORS.stream().allMatch(s -> counts.getOrDefault(s, 0) >= READINGS - 2);
    }

    /** Waits for a line of the service's output containing {@code text}. */
    private static void awaitLogLine(ServiceProcess service, String text) {
        Waits.await("'" + text + "' in the service's output", FORECASTS_TIMEOUT)
                .until(() -> service.output().stream().anyMatch(l -> l.contains(text)));
    }
}
