package dev.streamcast.service;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.kafka.TestBrokers;
import dev.streamcast.testing.BrokerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under exactly-once at the default commit interval, the stream commits every 100 ms while its readings are fresh
 * (forecasts visible soon after their readings) and every second while they were written long before it reads them
 * (a backlog: fewer transactions, a faster drain), unless a retraining waits for the samples in flight:
 * {@link ForecastSettings#BACKLOG_COMMIT_MS}. The same trickle of readings is sent twice, once stamped now and once
 * stamped an hour ago, and the forecasting client's stream thread counts its commits (Kafka Streams' commit-total)
 * during each.
 */
@Tag("broker")
class BacklogCommitsTest {

    private static final Duration TRICKLE = Duration.ofSeconds(3);

    @TempDir
    Path brokerDir;

    @TempDir
    Path stateDir;

    @Test
    void freshReadingsCommitEveryHundredMillisecondsAndReadingsWrittenLongAgoEverySecond() throws Exception {
        // No retraining falls due: the trainer never waits for samples.
        long[] commits = commitsOfFreshAndOldTrickles(Map.of("retrain.buffer.size", "1000000",
                "retrain.every.samples", "1000000", "retrain.min.samples", "1000000"));
        long seconds = TRICKLE.toSeconds();
        // Nominally 10 a second fresh and 1 a second old; the bounds leave room for a loaded machine.
        assertTrue(commits[0] >= 3 * seconds, "fresh readings: " + commits[0] + " commits in " + seconds + " s");
        assertTrue(commits[1] <= 2 * seconds, "readings an hour old: " + commits[1] + " commits in " + seconds + " s");
    }

    @Test
    void readingsWrittenLongAgoCommitEveryHundredMillisecondsWhileARetrainingWaitsForTheirSamples() throws Exception {
        // The first retraining falls due after 20 samples and needs 100,000 to start: the trainer keeps waiting for
        // the samples in flight.
        long[] commits = commitsOfFreshAndOldTrickles(Map.of("retrain.buffer.size", "1000000",
                "retrain.every.samples", "20", "retrain.min.samples", "100000"));
        long seconds = TRICKLE.toSeconds();
        assertTrue(commits[1] >= 3 * seconds, "readings an hour old: " + commits[1] + " commits in " + seconds + " s");
    }

    /** The forecasting client's commits during a fresh trickle, then during one stamped an hour ago. */
    private long[] commitsOfFreshAndOldTrickles(Map<String, String> settings) throws Exception {
        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(brokerDir)) {
            Map<String, String> m = BrokerSettings.service(broker.bootstrapServers(), "backlog-commits-"
                    + UUID.randomUUID(), stateDir);
            m.put("topics.partitions", "1");
            m.putAll(settings);
            StreamcastConfig config = StreamcastConfig.of(m);
            try (StreamcastService service = new StreamcastService(config);
                 KafkaProducer<String, String> producer = new KafkaProducer<>(
                         BrokerSettings.client(broker.bootstrapServers()), new StringSerializer(),
                         new StringSerializer())) {
                service.start();
                await("the service running", Duration.ofSeconds(60)).until(service::isRunning);
                String readings = Topics.from(config).readings();
                long fresh = commitsDuring(service, () -> trickle(producer, readings, "fresh", 0));
                long old = commitsDuring(service, () -> trickle(producer, readings, "old", Duration.ofHours(1)
                        .toMillis()));
                return new long[] {fresh, old};
            }
        }
    }

    /**
     * Readings of one sensor every 20 ms for {@link #TRICKLE}, each record stamped {@code ageMs} before it is sent
     * (its reading's own timestamp too, so that the readings are valid and in order).
     */
    private static void trickle(KafkaProducer<String, String> producer, String topic, String sensor, long ageMs)
            throws InterruptedException {
        long end = System.currentTimeMillis() + TRICKLE.toMillis();
        for (int k = 0; System.currentTimeMillis() < end; k++) {
            long stamp = System.currentTimeMillis() - ageMs;
            producer.send(new ProducerRecord<>(topic, null, stamp, sensor,
                    "{\"value\": " + (20 + k % 7) + ", \"timestamp\": " + stamp + "}"));
            producer.flush();
            Thread.sleep(20);
        }
    }

    private interface Trickle {
        void run() throws InterruptedException;
    }

    /** How many commits the forecasting client's stream threads made while {@code trickle} ran. */
    private static long commitsDuring(StreamcastService service, Trickle trickle) throws InterruptedException {
        long before = commits(service.streams());
        trickle.run();
        return commits(service.streams()) - before;
    }

    private static long commits(KafkaStreams streams) {
        return streams.metrics().values().stream()
                .filter(m -> m.metricName().name().equals("commit-total")
                        && m.metricName().group().equals("stream-thread-metrics"))
                .mapToLong(m -> (long) ((Number) m.metricValue()).doubleValue())
                .sum();
    }
}
