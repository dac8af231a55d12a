package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.kafka.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamcast run} as a process, with the logging users get, against a broker that refuses its password: the
 * whole of what it prints, stdout and stderr together, is the one line that says what to fix, and the exit code is
 * 2. Neither Kafka's clients' own ERROR lines about the refusal nor a log line of Streamcast's repeat it.
 */
@Tag("broker")
class WrongPasswordProcessTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aWrongPasswordPrintsOneLineInAllAndExitsWithTwo() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "broker:broker-Secret-1\napp:app-Secret-22\n");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0)
                .scram(users, dir.resolve("tls"), true).start()) {
            JvmProcess run = JvmProcess.start("wrong-password", dir.resolve("logs"), "512m", List.of(), "run", List.of(
                    "--set", "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                    "--set", "kafka.state.dir=" + dir.resolve("state"),
                    "--set", "http.port=0"), Map.of(
                    "STREAMCAST_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                    "STREAMCAST_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                    "STREAMCAST_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule "
                            + "required username=\"app\" password=\"not-the-password\";",
                    "STREAMCAST_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                    "STREAMCAST_KAFKA_SSL_TRUSTSTORE_LOCATION", broker.trustStore().toString()));
            int exit = run.awaitExit(Duration.ofSeconds(120));

            // JvmProcess writes a "=== ... starting" line of its own at the head of the log file.
            List<String> printed = (run.stdout() + run.log()).lines().filter(l -> !l.startsWith("=== "))
                    .filter(l -> !l.isBlank()).toList();
            assertEquals(2, exit, String.join("\n", printed));
            assertEquals(1, printed.size(), "everything printed:\n" + String.join("\n", printed));
            assertTrue(printed.get(0).startsWith("streamcast run: "), printed.get(0));
            assertTrue(printed.get(0).contains("refused the credentials"), printed.get(0));
            assertTrue(printed.get(0).contains("kafka.sasl.jaas.config"), printed.get(0));
        }
    }
}
