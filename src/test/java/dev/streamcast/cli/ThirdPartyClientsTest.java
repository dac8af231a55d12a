package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party client matrix: a default {@code streamcast run} (a real process on its embedded broker, the
 * producers' compression at its default; from the test class path, or {@code java -jar JAR run} with
 * {@code -Dstreamcast.jar=JAR}, as .ci/run runs it once the shaded jar is built) and, one after the other on that one
 * service, kafkajs (Node.js), kcat (the command line) and confluent-kafka (Python), the last two on librdkafka. Each
 * client sends readings of sensors of its own plus two bad records, then reads {@code sensor-forecasts},
 * {@code streamcast-accuracy} and {@code streamcast-dlq} with isolation.level=read_committed; the test checks what it
 * read: exactly one forecast per eligible reading with its window, exactly one accuracy record per scored forecast with
 * its actual value, and each bad record in the dead-letter topic with its original bytes and its reason. The clients
 * are the scripts under src/test/resources/clients; kafkajs is installed by {@code npm ci --prefix src/test/node}, kcat
 * and confluent-kafka by Debian's packages (.ci/run installs all three). A client that is not installed skips its test
 * with what to install, except in CI ({@code CI=true}), where it fails.
 */
@Tag("broker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThirdPartyClientsTest {

    /** Sensors per client, readings per sensor. */
    private static final int SENSORS = 3;
    private static final int READINGS = 12;
    /** The default window.length: a sensor's first forecast comes with its third reading. */
    private static final int WINDOW = 3;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);
    private static final Path NODE_MODULES = Path.of("src/test/node/node_modules");
    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");
    private static final String KAFKAJS_INSTALL = "Node.js and kafkajs: apt-get install nodejs npm; "
            + "npm ci --prefix src/test/node";
    static final String KCAT_INSTALL = "apt-get install kcat";
    private static final String CONFLUENT_KAFKA_INSTALL = "apt-get install python3-confluent-kafka";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Shared by the three clients' tests (an instance field would be set only after @BeforeAll). */
    @TempDir
    static Path workDir;

    private ServiceProcess service;
    private String bootstrap;

    @BeforeAll
    void startTheService() throws IOException {
        // With no client at all there is nothing to start the service for (in CI each test fails on its own).
        assumeTrue("true".equals(System.getenv("CI")) || kafkajsInstalled() || kcatInstalled()
                || confluentKafkaInstalled(), "no third-party client is installed; to run these tests: "
                + KAFKAJS_INSTALL + "; " + KCAT_INSTALL + " python3-confluent-kafka");
        service = ServiceProcess.start(workDir);
        bootstrap = service.bootstrap();
    }

    @AfterAll
    void stopTheService() throws InterruptedException {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void kafkajsProducesReadingsAndReadsForecastsAccuracyAndDeadLetters() throws Exception {
        require(kafkajsInstalled(), "kafkajs", KAFKAJS_INSTALL);
        exchange("node-kafkajs", Map.of("NODE_PATH", NODE_MODULES.toAbsolutePath().toString()),
                onPath("node").toString(), script("kafkajs-client.js"));
    }

    @Test
    void kcatProducesReadingsAndReadsForecastsAccuracyAndDeadLetters() throws Exception {
        require(kcatInstalled(), "kcat", KCAT_INSTALL);
        exchange("cli-kcat", Map.of("PATH", onPath("kcat").getParent() + File.pathSeparator + System.getenv("PATH")),
                "bash", script("kcat-client.sh"));
    }

    @Test
    void confluentKafkaProducesReadingsAndReadsForecastsAccuracyAndDeadLetters() throws Exception {
        require(confluentKafkaInstalled(), "Python's confluent-kafka (" + DEBIAN_PYTHON + ")", CONFLUENT_KAFKA_INSTALL);
        exchange("python-ck", Map.of(), DEBIAN_PYTHON.toString(), script("confluent-kafka-client.py"));
    }

    private static boolean kafkajsInstalled() {
        return onPath("node") != null && Files.isRegularFile(NODE_MODULES.resolve("kafkajs/package.json"));
    }

    private static boolean kcatInstalled() {
        return onPath("kcat") != null;
    }

    private static boolean confluentKafkaInstalled() {
        return Files.isExecutable(DEBIAN_PYTHON)
                && exitsCleanly(DEBIAN_PYTHON.toString(), "-c", "import confluent_kafka");
    }

    /** One reading a client sends: its record key (null: none) and value, and the reading it stands for. */
    private record Sent(String key, String value, Instant timestamp, double reading) {
    }

    /**
     * Has a client send its readings and two bad records, read the three output topics, and checks what it read.
     *
     * @param prefix the client's sensors' id prefix, which also marks its bad records
     */
    private void exchange(String prefix, Map<String, String> environment, String... command) throws Exception {
        List<Sent> readings = readings(prefix);
        Sent notANumber = new Sent(prefix + "-bad", "{\"value\": \"high\", \"from\": \"" + prefix + "\"}", null, 0);
        Sent noKey = new Sent(null, "{\"value\": 1.5, \"from\": \"" + prefix + "\"}", null, 0);
        List<Sent> all = new ArrayList<>(readings);
        all.add(notANumber);
        all.add(noKey);
        Path input = workDir.resolve(prefix + "-readings.tsv");
        StringBuilder lines = new StringBuilder();
        all.forEach(s -> lines.append(s.key() == null ? "" : s.key()).append('\t').append(s.value()).append('\n'));
        Files.writeString(input, lines, StandardCharsets.UTF_8);
        int forecasts = SENSORS * (READINGS - WINDOW + 1);
        // Each forecast but a sensor's last is scored by the reading after it.
        int scored = SENSORS * (READINGS - WINDOW);
        Path output = workDir.resolve(prefix + "-read.jsonl");
        List<String> line = new ArrayList<>(List.of(command));
        line.addAll(List.of(bootstrap, prefix, input.toString(), output.toString(), Integer.toString(forecasts),
                Integer.toString(scored), "2", Long.toString(CLIENT_TIMEOUT.toSeconds())));
        run(prefix, environment, line);
        assertTrue(service.isAlive(), "the service still runs after " + prefix + "'s records");

        Map<String, List<JsonNode>> read = readRecords(output);
        List<JsonNode> forecastRecords = read.getOrDefault("sensor-forecasts", List.of());
        List<JsonNode> accuracyRecords = read.getOrDefault("streamcast-accuracy", List.of());
        List<JsonNode> deadLetters = read.getOrDefault("streamcast-dlq", List.of());
        assertEquals(forecasts, forecastRecords.size(), "forecasts: one per reading from each sensor's third on");
        assertEquals(scored, accuracyRecords.size(), "accuracy records: one per forecast a later reading scored");
        assertEquals(2, deadLetters.size(), "dead letters: " + deadLetters);
        checkForecasts(readings, forecastRecords);
        checkAccuracy(readings, accuracyRecords);
        checkDeadLetter(notANumber, "not-a-number", deadLetters);
        checkDeadLetter(noKey, "missing-key", deadLetters);
    }

    /** READINGS readings of each of SENSORS sensors, a minute apart, the last a minute ago; sensors interleaved. */
    private static List<Sent> readings(String prefix) {
        Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(READINGS));
        List<Sent> sent = new ArrayList<>();
        for (int k = 0; k < READINGS; k++) {
            Instant at = first.plus(Duration.ofMinutes(k));
            for (int s = 0; s < SENSORS; s++) {
                double value = 20 + s + 0.5 * (k % 4);
                sent.add(new Sent(prefix + "-s" + s, String.format(Locale.ROOT,
                        "{\"value\": %.1f, \"timestamp\": \"%s\"}", value, at), at, value));
            }
        }
        return sent;
    }

    /** Each forecast names its sensor and the last reading of its window, which holds the sensor's values. */
    private static void checkForecasts(List<Sent> readings, List<JsonNode> records) {
        Map<String, Map<Instant, JsonNode>> bySensor = bySensorAndTime(records);
        for (Map.Entry<String, List<Sent>> sensor : bySensor(readings).entrySet()) {
            List<Sent> own = sensor.getValue();
            Map<Instant, JsonNode> forecasts = bySensor.getOrDefault(sensor.getKey(), Map.of());
            assertEquals(own.size() - WINDOW + 1, forecasts.size(), sensor.getKey() + ": " + forecasts.keySet());
            for (int k = WINDOW - 1; k < own.size(); k++) {
                JsonNode f = forecasts.get(own.get(k).timestamp());
                assertNotNull(f, sensor.getKey() + ": no forecast at " + own.get(k).timestamp());
                List<Double> window = new ArrayList<>();
                f.path("window").forEach(v -> window.add(v.asDouble()));
                assertEquals(own.subList(k - WINDOW + 1, k + 1).stream().map(Sent::reading).toList(), window,
                        f.toString());
                assertTrue(f.path("forecast").isNumber(), f.toString());
                assertTrue(List.of("naive", "lstm").contains(f.path("model").asText()), f.toString());
                assertTrue(f.path("modelVersion").isInt(), f.toString());
                assertTrue(f.path("lower").asDouble() <= f.path("upper").asDouble(), f.toString());
                assertEquals(1, f.path("horizon").size(), f.toString());
            }
        }
    }

    /** Each accuracy record scores a sensor's forecast by the reading after it: its actual value is that reading. */
    private static void checkAccuracy(List<Sent> readings, List<JsonNode> records) {
        Map<String, Map<Instant, JsonNode>> bySensor = bySensorAndTime(records);
        for (Map.Entry<String, List<Sent>> sensor : bySensor(readings).entrySet()) {
            List<Sent> own = sensor.getValue();
            Map<Instant, JsonNode> scored = bySensor.getOrDefault(sensor.getKey(), Map.of());
            assertEquals(own.size() - WINDOW, scored.size(), sensor.getKey() + ": " + scored.keySet());
            for (int k = WINDOW; k < own.size(); k++) {
                JsonNode a = scored.get(own.get(k).timestamp());
                assertNotNull(a, sensor.getKey() + ": no accuracy record at " + own.get(k).timestamp());
                assertEquals(own.get(k).reading(), a.path("actual").asDouble(), a.toString());
                // Format 2: no "error", which is actual - forecast (README.md, Topics)
                assertEquals(2, a.path("format").asInt(), a.toString());
                assertTrue(a.path("forecast").isNumber() && !a.has("error"), a.toString());
                assertEquals(1, a.path("step").asInt(), a.toString());
            }
        }
    }

    /** The bad record is in the dead-letter topic once, key and bytes as sent, with its reason and its source. */
    private static void checkDeadLetter(Sent bad, String reason, List<JsonNode> deadLetters) {
        List<JsonNode> matching = deadLetters.stream().filter(d -> bad.value().equals(d.path("value").asText()))
                .toList();
        assertEquals(1, matching.size(), "dead letters of " + bad + ": " + deadLetters);
        JsonNode letter = matching.get(0);
        String key = letter.path("key").isNull() ? null : letter.path("key").asText();
        if (bad.key() == null) {
            assertTrue(key == null || key.isEmpty(), letter.toString());
        } else {
            assertEquals(bad.key(), key, letter.toString());
        }
        assertEquals(reason, letter.path("headers").path("streamcast.error.reason").asText(), letter.toString());
        assertEquals("sensor-readings", letter.path("headers").path("streamcast.source.topic").asText(),
                letter.toString());
        assertTrue(letter.path("headers").hasNonNull("streamcast.error.message"), letter.toString());
    }

    private static Map<String, List<Sent>> bySensor(List<Sent> readings) {
        Map<String, List<Sent>> bySensor = new LinkedHashMap<>();
        for (Sent s : readings) {
            bySensor.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
        }
        bySensor.values().forEach(l -> l.sort(Comparator.comparing(Sent::timestamp)));
        return bySensor;
    }

    /** Records by their sensorId field and timestamp; a second record for one sensor and time fails. */
    private static Map<String, Map<Instant, JsonNode>> bySensorAndTime(List<JsonNode> records) {
        Map<String, Map<Instant, JsonNode>> bySensor = new HashMap<>();
        for (JsonNode r : records) {
            JsonNode body = parse(r.path("value").asText());
            assertEquals(r.path("key").asText(), body.path("sensorId").asText(), "the key is the sensor: " + r);
            JsonNode before = bySensor.computeIfAbsent(body.path("sensorId").asText(), k -> new HashMap<>())
                    .put(Instant.parse(body.path("timestamp").asText()), body);
            assertTrue(before == null, "twice: " + body);
        }
        return bySensor;
    }

    /**
     * The records a client wrote, by topic, as {key, value, headers: {name: value}}: the Node.js and Python clients
     * write that; kcat's JSON envelope (-J) has the value as "payload" and the headers as a list of names and values.
     */
    private static Map<String, List<JsonNode>> readRecords(Path output) throws IOException {
        Map<String, List<JsonNode>> byTopic = new HashMap<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            JsonNode record = parse(line);
            if (record.has("payload")) {
                var normal = JSON.createObjectNode();
                normal.set("key", record.path("key"));
                normal.set("value", record.path("payload"));
                var headers = normal.putObject("headers");
                JsonNode list = record.path("headers");
                for (int i = 0; i + 1 < list.size(); i += 2) {
                    headers.set(list.get(i).asText(), list.get(i + 1));
                }
                record = normal.put("topic", record.path("topic").asText());
            }
            byTopic.computeIfAbsent(record.path("topic").asText(), t -> new ArrayList<>()).add(record);
        }
        return byTopic;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** Runs a client to its end; fails with its output and the service's log tail if it fails or hangs. */
    private void run(String name, Map<String, String> environment, List<String> command) throws Exception {
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process client = builder.start();
        if (!client.waitFor(CLIENT_TIMEOUT.plusSeconds(60).toSeconds(), TimeUnit.SECONDS)) {
            client.destroyForcibly();
            fail(name + " did not end; its output:\n" + Files.readString(log) + "\nthe service's log ends with:\n"
                    + service.tail());
        }
        assertEquals(0, client.exitValue(), () -> name + " failed; its output:\n" + read(log)
                + "\nthe service's log ends with:\n" + service.tail());
    }

    /** Skips the test when a client is missing, naming what to install; fails instead in CI (CI=true). */
    static void require(boolean installed, String client, String install) {
        String message = client + " is not installed; to run this test: " + install;
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail(message + " (.ci/run installs it)");
        }
        assumeTrue(installed, message);
    }

    /** The test resource {@code clients/<name>} as a file. */
    private static String script(String name) {
        Path p = Path.of("target/test-classes/clients", name).toAbsolutePath();
        assertTrue(Files.isRegularFile(p), "no " + p);
        return p.toString();
    }

    /** The executable {@code name} on the PATH, or null. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        return path == null ? null : Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, name))
                .filter(Files::isExecutable).findFirst().orElse(null);
    }

    private static boolean exitsCleanly(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
