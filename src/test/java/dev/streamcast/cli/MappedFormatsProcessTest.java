package dev.streamcast.cli;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapped input formats as a user meets them: a {@code streamcast run} process per format (input.format json,
 * influx, csv), a third-party producer (kcat, librdkafka) writing the devices' own payloads with no key, and kcat
 * reading {@code sensor-forecasts} and {@code streamcast-dlq} with read_committed: every mapped sensor gets one
 * forecast per reading from its third on, and a record that cannot be mapped reaches the dead-letter topic once, with
 * its own reason. kcat writes to partition 0 (-p 0): a device's records must stay in order (docs/connecting.md, Ids,
 * collisions and order).
 */
@Tag("broker")
class MappedFormatsProcessTest {

    private static final int READINGS = 10;
    private static final int WINDOW = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The readings' times: a minute apart, the last a minute ago. */
    private static Instant at(int k) {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(READINGS - k));
    }

    @Test
    void aDevicesJsonWithSeveralMeasurementsAndEpochSeconds() throws Exception {
        List<String> records = new ArrayList<>();
        for (int k = 0; k < READINGS; k++) {
            for (String device : List.of("m-17", "m-18")) {
                records.add(String.format(Locale.ROOT, "{\"device\": \"%s\", \"ts\": %d, \"temperature\": %.1f, "
                        + "\"humidity\": %.1f}", device, at(k).getEpochSecond(), 21 + 0.1 * k, 40 + 0.2 * k));
            }
        }
        records.add("{\"device\": \"m-19\", \"ts\": " + at(0).getEpochSecond() + "}");
        exchange(records, "missing-field", List.of("m-17.temperature", "m-17.humidity", "m-18.temperature",
                "m-18.humidity"), "input.format=json", "input.json.sensor=/device",
                "input.json.values=/temperature,/humidity", "input.json.timestamp=/ts");
    }

    @Test
    void telegrafsLineProtocolWithTagsAndNanoseconds() throws Exception {
        List<String> records = new ArrayList<>();
        for (int k = 0; k < READINGS; k++) {
            for (String site : List.of("north", "south")) {
                records.add(String.format(Locale.ROOT, "weather,site=%s,region=eu temperature=%.1f,humidity=%di,"
                        + "ok=true %d", site, 10 + 0.5 * k, 40 + k, at(k).getEpochSecond() * 1_000_000_000L));
            }
        }
        records.add("this is not line protocol");
        exchange(records, "malformed-line", List.of("weather.eu.north.temperature", "weather.eu.north.humidity",
                "weather.eu.south.temperature", "weather.eu.south.humidity"), "input.format=influx");
    }

    @Test
    void aGatewaysCsvLinesWithAHeader() throws Exception {
        List<String> records = new ArrayList<>(List.of("sensor,timestamp,value"));
        for (int k = 0; k < READINGS; k++) {
            for (String sensor : List.of("p-1", "p-2")) {
                records.add(String.format(Locale.ROOT, "%s,%s,%.1f", sensor, at(k), 1013 + 0.3 * k));
            }
        }
        records.add("p-3," + at(0) + ",high");
        exchange(records, "bad-field", List.of("p-1", "p-2"), "input.format=csv");
    }

    /**
     * Runs a service with the settings, has kcat send the records (one per line, no key), and checks the forecasts of
     * each expected sensor and the one dead letter.
     */
    private void exchange(List<String> records, String reason, List<String> sensors, String... settings)
            throws Exception {
        ThirdPartyClientsTest.require(ThirdPartyClientsTest.onPath("kcat") != null, "kcat",
                ThirdPartyClientsTest.KCAT_INSTALL);
        try (ServiceProcess service = ServiceProcess.start(dir, settings)) {
            Path input = dir.resolve("records.txt");
            Files.writeString(input, String.join("\n", records) + "\n", StandardCharsets.UTF_8);
            kcat(service, List.of("-P", "-t", "sensor-readings", "-p", "0", "-l", input.toString()));
            int expected = sensors.size() * (READINGS - WINDOW + 1);
            List<JsonNode> forecasts = new ArrayList<>();
            for (String line : consume(service, "sensor-forecasts", "%s\\n", expected)) {
                forecasts.add(JSON.readTree(line));
            }
            Map<String, Integer> bySensor = new TreeMap<>();
            for (JsonNode f : forecasts) {
                bySensor.merge(f.path("sensorId").asText(), 1, Integer::sum);
                assertTrue(f.path("forecast").isNumber(), f.toString());
            }
            Map<String, Integer> wanted = new TreeMap<>();
            sensors.forEach(s -> wanted.put(s, READINGS - WINDOW + 1));
            assertEquals(wanted, bySensor, "one forecast per reading from each mapped sensor's third on");
            // kcat's %h: the headers as name=value, comma-separated.
            List<String> deadLetters = consume(service, "streamcast-dlq", "%h\\n", 1);
            assertEquals(1, deadLetters.size(), deadLetters.toString());
            assertTrue(deadLetters.get(0).contains("streamcast.error.reason=" + reason), deadLetters.toString());
            assertTrue(service.isAlive(), "the service still runs");
        }
    }

    /**
     * Reads a topic from the beginning with read_committed (kcat -e, again each second) until it holds
     * {@code count} records or the timeout; each record printed by kcat's format {@code format} as one line.
     */
    private List<String> consume(ServiceProcess service, String topic, String format, int count)
            throws Exception {
        List<String> command = List.of("-C", "-t", topic, "-o", "beginning", "-e", "-q",
                "-X", "isolation.level=read_committed", "-f", format);
        AtomicReference<List<String>> records = new AtomicReference<>(List.of());
        try {
            await(count + " records of " + topic, TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                records.set(kcat(service, command).lines().filter(l -> !l.isBlank()).toList());
                return records.get().size() >= count;
            });
        } catch (ConditionTimeoutException e) {
            return records.get(); // the caller says what is missing
        }
        // No record beyond the count for a second: one more would be one too many.
        int seen = records.get().size();
        await("no more than " + seen + " records of " + topic + " for a second", Duration.ofSeconds(5))
                .during(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> kcat(service, command).lines().filter(l -> !l.isBlank()).count() == seen);
        return records.get();
    }

    /** Runs kcat against the service's broker; fails with its output and the service's log if it fails. */
    private String kcat(ServiceProcess service, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", service.bootstrap()));
        command.addAll(arguments);
        Path out = dir.resolve("kcat.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kcat " + arguments + " did not end");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> "kcat " + arguments + ": " + text + "\nservice:\n" + service.tail());
        return text;
    }
}
