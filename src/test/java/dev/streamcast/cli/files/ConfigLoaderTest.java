package dev.streamcast.cli.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.cli.CliRun;
import dev.streamcast.config.StreamcastConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void fileThenEnvironmentThenSetEachOverrideTheOneBefore() throws IOException {
        Path file = Files.writeString(dir.resolve("s.properties"),
                "window.length=3\nhttp.port=8001\nretrain.every=5m\nkafka.client.id=from-file\n");
        Map<String, String> env = Map.of("STREAMCAST_HTTP_PORT", "8002", "STREAMCAST_RETRAIN_EVERY_SAMPLES", "77",
                "STREAMCAST_KAFKA_SASL_JAAS_CONFIG", "secret-jaas", "PATH", "/usr/bin");
        StreamcastConfig config = ConfigLoader.load(file, env, Map.of("http.port", "8003"));
        assertEquals("8003", config.get("http.port"));
        assertEquals("77", config.get("retrain.every.samples"));
        assertEquals("5m", config.get("retrain.every"));
        assertEquals("secret-jaas", config.kafkaProperties().getProperty("sasl.jaas.config"));
        assertEquals("from-file", config.kafkaProperties().getProperty("client.id"));
        // defaults fill the rest
        assertEquals("sensor-readings", config.get("topics.readings"));
        assertEquals("exactly_once_v2", config.kafkaProperties().getProperty("processing.guarantee"));
    }

    @Test
    void environmentNamesAreTheKeysUpperCasedWithUnderscores() {
        assertEquals("STREAMCAST_RETRAIN_BATCH_SIZE", ConfigLoader.environmentName("retrain.batch-size"));
        assertEquals("STREAMCAST_EMBEDDED_KAFKA_PORT", ConfigLoader.environmentName("embedded.kafka.port"));
        assertEquals(Map.of("embedded.kafka.port", "9999"),
                ConfigLoader.fromEnvironment(Map.of("STREAMCAST_EMBEDDED_KAFKA_PORT", "9999")));
    }

    @Test
    void secretsNeverAppearWhenTheConfigurationIsShown() {
        StreamcastConfig config = ConfigLoader.load(null, Map.of(), Map.of(
                "kafka.sasl.jaas.config", "org.apache...PlainLoginModule required password=\"hunter2\";",
                "kafka.ssl.keystore.password", "hunter3", "http.admin.token", "tok-123"));
        String shown = config.toString();
        assertFalse(shown.contains("hunter2") || shown.contains("hunter3") || shown.contains("tok-123"), shown);
        assertTrue(shown.contains("kafka.sasl.jaas.config=[hidden]"), shown);
    }

    @Test
    void unknownKeysAndBadValuesAreOneLineErrors() throws IOException {
        UserInputException unknown = assertThrows(UserInputException.class,
                () -> ConfigLoader.load(null, Map.of(), Map.of("retrain.evry", "5m")));
        assertTrue(unknown.getMessage().contains("retrain.evry"), unknown.getMessage());
        UserInputException missing = assertThrows(UserInputException.class,
                () -> ConfigLoader.load(dir.resolve("nope.properties"), Map.of(), Map.of()));
        assertTrue(missing.getMessage().contains("nope.properties") && missing.getMessage().contains("no such file"));
        CliRun run = CliRun.of("run", "--set", "window.length=zero",
                "--set", "kafka.bootstrap.servers=127.0.0.1:1");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("window.length: expected an integer, got 'zero'"), run.err());
        CliRun badDuration = CliRun.of("run", "--set", "retrain.every=soon",
                "--set", "kafka.bootstrap.servers=127.0.0.1:1");
        assertEquals(2, badDuration.exitCode(), badDuration.err());
        assertTrue(badDuration.err().contains("retrain.every"), badDuration.err());
    }
}
