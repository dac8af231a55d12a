package dev.streamcast.stream;

import static dev.streamcast.stream.TopologyFixture.bytes;
import static dev.streamcast.stream.TopologyFixture.header;
import static dev.streamcast.stream.TopologyFixture.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.wire.DeadLetterHeaders;
import dev.streamcast.wire.RejectReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapped input formats (input.format json, influx, csv) through the real topology: the readings each record
 * holds, re-keyed by sensor id and repartitioned, reach the per-sensor processor; what cannot be mapped goes to the
 * dead-letter topic once, original bytes intact, with a reason of its own.
 */
@Tag("topology")
class InputMappingTopologyTest {

    // 2026-11-26T12:00:00Z, T0 of the fixture, in epoch seconds.
    private static final long T0_SECONDS = TopologyFixture.T0.getEpochSecond();

    @TempDir
    Path stateDir;

    private TopologyFixture fixture(String... keyValues) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put(keyValues[i], keyValues[i + 1]);
        }
        return new TopologyFixture(StreamcastConfig.of(overrides), stateDir);
    }

    private TopologyFixture jsonDevices() {
        return fixture("input.format", "json", "input.json.sensor", "/device",
                "input.json.values", "/temperature,/humidity", "input.json.timestamp", "/ts");
    }

    private static void send(TopologyFixture f, String key, String value) {
        f.readings.pipeInput(bytes(key), bytes(value), TopologyFixture.T0);
    }

    /** The forecasts sent so far, by their record key, each sensor's windows in order. */
    private static Map<String, List<JsonNode>> forecastsByKey(TopologyFixture f) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (TestRecord<String, String> r : f.forecasts.readRecordsToList()) {
            JsonNode forecast = json(r.value());
            assertEquals(r.key(), forecast.path("sensorId").asText(), "a forecast is keyed by its sensor id");
            out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(forecast);
        }
        return out;
    }

    private static TestRecord<byte[], byte[]> assertDeadLetter(TopologyFixture f, String reason, String key,
                                                               String value, int mapped) {
        TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
        assertEquals(reason, header(dead, DeadLetterHeaders.REASON),
                header(dead, DeadLetterHeaders.MESSAGE));
        assertArrayEquals(bytes(key), dead.key(), "the original key");
        assertArrayEquals(bytes(value), dead.value(), "the original bytes");
        assertEquals(f.settings.topics().readings(), header(dead, DeadLetterHeaders.TOPIC));
        assertTrue(Long.parseLong(header(dead, DeadLetterHeaders.OFFSET)) >= 0);
        assertEquals(Integer.toString(mapped), header(dead, InputMappingProcessor.HEADER_MAPPED));
        assertTrue(f.dlq.isEmpty(), "one dead letter per record");
        return dead;
    }

    @Test
    void aDevicesJsonWithSeveralFieldsAndANullKeyIsOneSensorPerField() {
        try (TopologyFixture f = jsonDevices()) {
            for (int i = 0; i < 4; i++) {
                send(f, null, "{\"device\": \"m-17\", \"ts\": " + (T0_SECONDS + 60 * i) + ", \"temperature\": "
                        + (21 + i) + ", \"humidity\": " + (40 + i) + ".5, \"note\": {\"x\": [1, 2]}}");
            }
            Map<String, List<JsonNode>> forecasts = forecastsByKey(f);
            assertEquals(List.of("m-17.temperature", "m-17.humidity"), List.copyOf(forecasts.keySet()));
            JsonNode temperature = forecasts.get("m-17.temperature").get(1);
            assertEquals("[22.0,23.0,24.0]", temperature.path("window").toString());
            assertEquals("2026-11-26T12:03:00Z", temperature.path("timestamp").asText(), "epoch seconds, read as such");
            assertEquals("[41.5,42.5,43.5]", forecasts.get("m-17.humidity").get(1).path("window").toString());
            assertEquals(2, f.drainAccuracy().size(), "each field's forecast scored against its next reading");
            assertTrue(f.dlq.isEmpty());
            assertEquals(8, f.metrics.accepted());
        }
    }

    @Test
    void oneValuePointerKeepsTheIdFoundAndAnArrayIsABatch() {
        try (TopologyFixture f = fixture("input.format", "json", "input.json.sensor", "/meta/id",
                "input.json.values", "/reading/v", "input.json.timestamp", "/time")) {
            send(f, "ignored", "[{\"meta\": {\"id\": \"a\"}, \"reading\": {\"v\": 1},"
                    + " \"time\": \"2026-11-26T12:00:00Z\"},"
                    + " {\"meta\": {\"id\": \"a\"}, \"reading\": {\"v\": 2}, \"time\": \"2026-11-26T12:01:00Z\"},"
                    + " {\"meta\": {\"id\": 7}, \"reading\": {\"v\": 5}, \"time\": \"2026-11-26T12:01:00Z\"}]");
            send(f, null, "{\"meta\": {\"id\": \"a\"}, \"reading\": {\"v\": 3.5},"
                    + " \"time\": \"2026-11-26T12:02:00+00:00\"}");
            Map<String, List<JsonNode>> forecasts = forecastsByKey(f);
            assertEquals(List.of("a"), List.copyOf(forecasts.keySet()));
            assertEquals("[1.0,2.0,3.5]", forecasts.get("a").get(0).path("window").toString());
            assertEquals(4, f.metrics.accepted(), "the numeric id 7 is the sensor '7'");
        }
    }

    @Test
    void withoutASensorPointerTheKeyIsTheIdAndWithoutATimestampPointerTheRecordsTimestamp() {
        try (TopologyFixture f = fixture("input.format", "json", "input.json.values", "/t,/h")) {
            for (int i = 0; i < 3; i++) {
                f.readings.pipeInput(bytes("room-1"), bytes("{\"t\": " + i + ", \"h\": " + (10 * i) + "}"),
                        TopologyFixture.T0.plusSeconds(i));
            }
            Map<String, List<JsonNode>> forecasts = forecastsByKey(f);
            assertEquals(List.of("room-1.t", "room-1.h"), List.copyOf(forecasts.keySet()));
            assertEquals("2026-11-26T12:00:02Z", forecasts.get("room-1.h").get(0).path("timestamp").asText());
            assertEquals("[0.0,10.0,20.0]", forecasts.get("room-1.h").get(0).path("window").toString());
        }
    }

    @Test
    void lineProtocolFieldsAreSensorsNamedByMeasurementTagValuesInKeyOrderAndField() {
        try (TopologyFixture f = fixture("input.format", "influx")) {
            long ns = T0_SECONDS * 1_000_000_000L;
            for (int i = 0; i < 3; i++) {
                long t = ns + i * 60_000_000_000L;
                // Tags out of key order in one line; integer, unsigned, boolean and string fields; a comment line.
                send(f, null, "# telegraf\nweather,site=north,region=eu temp=" + (20 + i) + ".5,rain=" + i + "i,"
                        + "ok=true,label=\"a \\\"q\\\" b, c\" " + t + "\r\n"
                        + "weather,region=eu,site=north wind=" + (3 + i) + "u " + t + "\n"
                        + "cpu\\,load,host=h\\ 1 usage=0." + i + " " + t + "\n");
            }
            Map<String, List<JsonNode>> forecasts = forecastsByKey(f);
            assertEquals(List.of("weather.eu.north.temp", "weather.eu.north.rain", "weather.eu.north.wind",
                    "cpu,load.h 1.usage"), List.copyOf(forecasts.keySet()));
            assertEquals("[20.5,21.5,22.5]", forecasts.get("weather.eu.north.temp").get(0).path("window").toString());
            assertEquals("[3.0,4.0,5.0]", forecasts.get("weather.eu.north.wind").get(0).path("window").toString());
            assertEquals("2026-11-26T12:02:00Z", forecasts.get("weather.eu.north.rain").get(0).path("timestamp")
                    .asText(), "nanoseconds, read as such");
            assertTrue(f.dlq.isEmpty(), "boolean and string fields are neither readings nor refusals");
        }
    }

    @Test
    void csvLinesInTheConfiguredColumnsWithTheHeaderSkipped() {
        try (TopologyFixture f = fixture("input.format", "csv", "input.csv.columns", "timestamp,site,sensor,value")) {
            send(f, null, "timestamp,site,sensor,value\n"
                    + "2026-11-26T12:00:00Z,x,p-1,1.5\n"
                    + T0_SECONDS + 60 + ",x,\"p-2\",10\r\n"
                    + "\n");
            send(f, null, (T0_SECONDS + 60) * 1000 + ",y,p-1,2.5\n" + (T0_SECONDS + 120) * 1_000_000 + ",y,p-1,3.5");
            send(f, null, (T0_SECONDS + 120) + ",x,p-2,20\n" + (T0_SECONDS + 180) + ",x,p-2,30\n");
            Map<String, List<JsonNode>> forecasts = forecastsByKey(f);
            assertEquals(List.of("p-1", "p-2"), List.copyOf(forecasts.keySet()));
            assertEquals("[1.5,2.5,3.5]", forecasts.get("p-1").get(0).path("window").toString());
            assertEquals("2026-11-26T12:02:00Z", forecasts.get("p-1").get(0).path("timestamp").asText(),
                    "seconds, milliseconds and microseconds told apart");
            assertEquals("[10.0,20.0,30.0]", forecasts.get("p-2").get(0).path("window").toString());
            assertTrue(f.dlq.isEmpty(), "the header line is skipped, not refused");
        }
    }

    @Test
    void csvWithoutATimestampColumnTakesTheRecordsAndAFixedUnitReadsEveryNumberInIt() {
        try (TopologyFixture f = fixture("input.format", "csv", "input.csv.columns", "value,sensor")) {
            for (int i = 0; i < 3; i++) {
                f.readings.pipeInput(null, bytes(i + ",s"), TopologyFixture.T0.plusSeconds(i));
            }
            assertEquals("2026-11-26T12:00:02Z", json(f.forecasts.readValue()).path("timestamp").asText());
        }
        try (TopologyFixture f = fixture("input.format", "csv", "input.timestamp.unit", "ms")) {
            // 5e10 milliseconds is 1971: auto would read it as seconds, ms reads it as it is, and it is then late.
            send(f, null, "s," + T0_SECONDS * 1000 + ",1\ns,50000000000,2");
            assertEquals("late", header(f.dlq.readRecord(), DeadLetterHeaders.REASON));
        }
    }

    @Test
    void everyProblemOfAMappedRecordHasItsReasonAndTheRecordGoesToTheDeadLetterTopicOnce() {
        try (TopologyFixture f = jsonDevices()) {
            String longId = "d".repeat(250);
            String[][] cases = {
                {"missing-field", "{\"ts\": 1, \"temperature\": 1, \"humidity\": 2}", "0"},
                {"missing-field", "{\"device\": \"d\", \"temperature\": 1, \"humidity\": 2}", "0"},
                {"missing-field", "{\"device\": \"d\", \"ts\": " + T0_SECONDS + ", \"temperature\": 1}", "1"},
                {"missing-field", "{\"device\": \"d\", \"ts\": " + T0_SECONDS + ", \"temperature\": 1, "
                        + "\"humidity\": null}", "1"},
                {"bad-field", "{\"device\": \"d\", \"ts\": " + T0_SECONDS + ", \"temperature\": \"n/a\", "
                        + "\"humidity\": 2}", "1"},
                {"bad-field", "{\"device\": {\"id\": 1}, \"ts\": 1, \"temperature\": 1, \"humidity\": 2}", "0"},
                {"bad-field", "{\"device\": \" \", \"ts\": 1, \"temperature\": 1, \"humidity\": 2}", "0"},
                {"bad-timestamp", "{\"device\": \"d\", \"ts\": \"yesterday\", \"temperature\": 1, \"humidity\": 2}",
                    "0"},
                {"bad-timestamp", "{\"device\": \"d\", \"ts\": -5, \"temperature\": 1, \"humidity\": 2}", "0"},
                {"non-finite", "{\"device\": \"d\", \"ts\": " + T0_SECONDS + ", \"temperature\": NaN, "
                        + "\"humidity\": 2}", "1"},
                {"out-of-range", "{\"device\": \"d\", \"ts\": " + T0_SECONDS + ", \"temperature\": 1e13, "
                        + "\"humidity\": 2}", "1"},
                {"key-too-long", "{\"device\": \"" + longId + "\", \"ts\": " + T0_SECONDS + ", \"temperature\": 1, "
                        + "\"humidity\": 2}", "0"},
                {"malformed-json", "{\"device\": \"d\", \"ts\": ", "0"},
                {"malformed-json", "[{\"device\": \"d\", \"ts\": " + T0_SECONDS + ", \"temperature\": 1, "
                        + "\"humidity\": 2}, {", "0"},
                {"malformed-json", "{\"device\": \"d\"} {}", "0"},
                {"malformed-json", "", "0"},
            };
            for (String[] c : cases) {
                send(f, "k", c[1]);
                assertDeadLetter(f, c[0], "k", c[1], Integer.parseInt(c[2]));
            }
            assertEquals(4, f.metrics.refused(RejectReason.MISSING_FIELD));
            assertEquals(3, f.metrics.refused(RejectReason.BAD_FIELD));
            assertEquals(4, f.metrics.refused(RejectReason.MALFORMED_JSON));
            assertEquals(1, f.metrics.refused(RejectReason.KEY_TOO_LONG), "one count per dead-lettered record");
            // The five mapped fields went on: d.temperature and d.humidity once each, then redeliveries of them.
            assertEquals(2, f.metrics.accepted());
        }
    }

    @Test
    void oneBadFieldOfSeveralLosesNoneOfTheOthersAndTheMessageNamesEveryProblem() {
        try (TopologyFixture f = fixture("input.format", "json", "input.json.sensor", "/id",
                "input.json.values", "/a,/b,/c,/d")) {
            String batch = "[{\"id\": \"x\", \"a\": 1, \"b\": \"2\", \"c\": 3, \"d\": true}, {\"id\": \"y\", \"a\": 4},"
                    + " {\"a\": 5}, 6]";
            send(f, null, batch);
            TestRecord<byte[], byte[]> dead = assertDeadLetter(f, "bad-field", null, batch, 3);
            String message = header(dead, DeadLetterHeaders.MESSAGE);
            for (String part : List.of("element 0: /b is a string, not a number", "element 0: /d is a boolean",
                    "element 1: /b is missing", "element 2: /id (the sensor id) is missing",
                    "element 3: /id (the sensor id) is missing")) {
                assertTrue(message.contains(part), "'" + part + "' not in " + message);
            }
            assertEquals(3, f.metrics.accepted(), "x.a, x.c and y.a");
        }
    }

    @Test
    void keyRulesHoldWhenTheKeyIsTheSensorId() {
        try (TopologyFixture f = fixture("input.format", "json")) {
            send(f, null, "{\"value\": 1}");
            assertDeadLetter(f, "missing-key", null, "{\"value\": 1}", 0);
            send(f, " ", "{\"value\": 1}");
            assertDeadLetter(f, "missing-key", " ", "{\"value\": 1}", 0);
            send(f, "k".repeat(257), "{\"value\": 1}");
            assertDeadLetter(f, "key-too-long", "k".repeat(257), "{\"value\": 1}", 0);
            byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28};
            f.readings.pipeInput(invalidUtf8, bytes("{\"value\": 1}"));
            TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
            assertEquals("bad-key", header(dead, DeadLetterHeaders.REASON));
            assertArrayEquals(invalidUtf8, dead.key());
            send(f, "k", "{\"value\": 1}");
            assertTrue(f.dlq.isEmpty());
            assertEquals(1, f.metrics.accepted());
        }
    }

    @Test
    void lineProtocolProblemsAreRefusedPerLineAndPerField() {
        try (TopologyFixture f = fixture("input.format", "influx")) {
            long ns = T0_SECONDS * 1_000_000_000L;
            String[][] cases = {
                {"malformed-line", "weather temp", "0"},
                {"malformed-line", "weather,site temp=1", "0"},
                {"malformed-line", ",site=a temp=1", "0"},
                {"malformed-line", "weather", "0"},
                {"malformed-line", "weather label=\"open", "0"},
                {"malformed-line", "", "0"},
                {"malformed-line", "# only a comment\n", "0"},
                {"bad-field", "weather temp=abc,wind=2 " + ns, "1"},
                {"bad-timestamp", "weather temp=1 yesterday", "0"},
                {"bad-timestamp", "weather temp=1 -5", "0"},
                {"non-finite", "weather temp=1e400,gust=1 " + ns, "1"},
                {"out-of-range", "weather temp=2e12,rain=1 " + ns, "1"},
                {"key-too-long", "w" + "x".repeat(300) + " temp=1 " + ns, "0"},
                {"malformed-line", "broken\nweather temp=3 " + ns, "1"},
            };
            for (String[] c : cases) {
                send(f, null, c[1]);
                assertDeadLetter(f, c[0], null, c[1], Integer.parseInt(c[2]));
            }
            byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28};
            f.readings.pipeInput(null, invalidUtf8);
            assertEquals("malformed-line", header(f.dlq.readRecord(), DeadLetterHeaders.REASON));
        }
    }

    @Test
    void csvProblemsAreRefusedPerLine() {
        try (TopologyFixture f = fixture("input.format", "csv")) {
            String[][] cases = {
                {"missing-field", "s," + T0_SECONDS, "0"},
                {"missing-field", ",1,2", "0"},
                {"missing-field", "s,,2", "0"},
                {"missing-field", "s,1,", "0"},
                {"bad-field", "s," + T0_SECONDS + ",abc\nt," + T0_SECONDS + ",2", "1"},
                {"bad-field", "s," + T0_SECONDS + ",21.5f", "0"},
                {"bad-timestamp", "s,yesterday,1", "0"},
                {"bad-timestamp", "s,-1,1", "0"},
                {"non-finite", "s," + T0_SECONDS + ",NaN", "0"},
                {"non-finite", "s," + T0_SECONDS + ",1e400", "0"},
                {"out-of-range", "s," + T0_SECONDS + ",-2e12", "0"},
                {"key-too-long", "k".repeat(257) + "," + T0_SECONDS + ",1", "0"},
                {"malformed-line", "", "0"},
                {"malformed-line", " \n", "0"},
            };
            for (String[] c : cases) {
                send(f, "key", c[1]);
                assertDeadLetter(f, c[0], "key", c[1], Integer.parseInt(c[2]));
            }
        }
    }

    @Test
    void aMappedReadingThatIsLateOrFutureIsDeadLetteredAsTheReadingItWasMappedTo() {
        try (TopologyFixture f = fixture("input.format", "csv")) {
            send(f, null, "s," + (T0_SECONDS + 60) + ",1\ns," + T0_SECONDS + ",2\ns," + (T0_SECONDS + 7200) + ",3");
            TestRecord<byte[], byte[]> late = f.dlq.readRecord();
            assertEquals("late", header(late, DeadLetterHeaders.REASON));
            assertArrayEquals(bytes("s"), late.key(), "the sensor id");
            assertEquals("{\"value\":2.0,\"timestamp\":\"2026-11-26T12:00:00Z\"}",
                    new String(late.value(), StandardCharsets.UTF_8));
            TestRecord<byte[], byte[]> future = f.dlq.readRecord();
            assertEquals("future", header(future, DeadLetterHeaders.REASON));
            assertEquals(3.0, json(new String(future.value(), StandardCharsets.UTF_8)).path("value").asDouble());
            assertTrue(header(future, DeadLetterHeaders.TOPIC).endsWith("-readings-by-sensor-repartition"));
            assertTrue(f.dlq.isEmpty());
        }
    }

    @Test
    void theAutoFormatReadsAnEpochNumberBelow1e11AsSeconds() {
        try (TopologyFixture f = fixture()) {
            f.reading("s", "{\"value\": 1, \"timestamp\": " + T0_SECONDS + "}", 0);
            f.reading("s", "{\"value\": 2, \"timestamp\": " + (T0_SECONDS + 60) * 1000 + "}", 0);
            f.reading("s", "{\"value\": 3, \"timestamp\": " + (T0_SECONDS + 120) + "}", 0);
            JsonNode forecast = json(f.forecasts.readValue());
            assertEquals("2026-11-26T12:02:00Z", forecast.path("timestamp").asText());
            assertEquals("[1.0,2.0,3.0]", forecast.path("window").toString());
        }
    }
}
