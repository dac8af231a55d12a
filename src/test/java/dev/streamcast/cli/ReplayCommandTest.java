package dev.streamcast.cli;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.kafka.TestBrokers;
import dev.streamcast.testing.BrokerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamcast replay} onto a real Kafka broker (the embedded one), read back with a plain consumer. */
@Tag("broker")
class ReplayCommandTest {

    @TempDir
    Path dir;

    /** Rows out of timestamp order, with a tie between two sensors on 2000-01-02. */
    private Path history() throws IOException {
        return Files.writeString(dir.resolve("history.csv"), """
                sensor,timestamp,value
                b,2000-01-02T00:00:00Z,20
                a,2000-01-03T00:00:00Z,3
                a,2000-01-01T00:00:00Z,1
                a,2000-01-02T00:00:00Z,2
                b,2000-01-01T00:00:00Z,10.5
                """);
    }

    /** In timestamp order, the tie in file order: what the readings topic must hold, as key=value. */
    private static final List<String> EXPECTED = List.of(
            "a={\"value\":1.0,\"timestamp\":\"2000-01-01T00:00:00Z\"}",
            "b={\"value\":10.5,\"timestamp\":\"2000-01-01T00:00:00Z\"}",
            "b={\"value\":20.0,\"timestamp\":\"2000-01-02T00:00:00Z\"}",
            "a={\"value\":2.0,\"timestamp\":\"2000-01-02T00:00:00Z\"}",
            "a={\"value\":3.0,\"timestamp\":\"2000-01-03T00:00:00Z\"}");

    private static List<String> readAll(String bootstrap, String topic, int expected) {
        Properties props = BrokerSettings.client(bootstrap);
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await(expected + " records on " + topic, Duration.ofSeconds(30)).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(r.key() + "=" + r.value());
                }
                return records.size() >= expected;
            });
        }
        return records;
    }

    @Test
    void replayPublishesTheReadingsInTimestampOrderWithTheirTimestampsInTheValue() throws IOException {
        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(dir.resolve("kafka"))) {
            String bootstrap = broker.bootstrapServers();
            CliRun fast = CliRun.of("replay", "--data", history().toString(), "--key", "sensor",
                    "--set", "kafka.bootstrap.servers=" + bootstrap, "--set", "topics.partitions=1");
            assertEquals(0, fast.exitCode(), fast.err());
            assertTrue(fast.out().contains("as fast as possible"), fast.out());
            assertTrue(fast.out().contains("5/5 readings to sensor-readings (100%)"), fast.out());
            assertTrue(fast.out().contains("all acknowledged"), fast.out());
            assertEquals(EXPECTED, readAll(bootstrap, "sensor-readings", 5));

            CliRun paced = CliRun.of("replay", "--data", history().toString(), "--key",
                    "sensor", "--rate", "50", "--set", "kafka.bootstrap.servers=" + bootstrap, "--set",
                    "topics.partitions=1", "--set", "topics.readings=paced-readings");
            assertEquals(0, paced.exitCode(), paced.err());
            assertTrue(paced.out().contains("50 readings/s"), paced.out());
            assertEquals(EXPECTED, readAll(bootstrap, "paced-readings", 5));
        }
    }

    @Test
    void aNegativeRateIsOneLineAndExitCodeTwo() throws IOException {
        CliRun.of("replay", "--data", history().toString(), "--rate",
                "-5").assertUserError("--rate");
    }

    @Test
    void aMissingFileIsOneLineAndExitCodeTwoBeforeAnyConnection() {
        CliRun.of("replay", "--data", dir.resolve("nope.csv").toString()).assertUserError("nope.csv: no such file");
    }
}
