package dev.streamcast.stream;

import static dev.streamcast.stream.TopologyFixture.bytes;
import static dev.streamcast.stream.TopologyFixture.header;
import static dev.streamcast.stream.TopologyFixture.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.sensor.SensorState;
import dev.streamcast.sensor.SensorStateCodec;
import dev.streamcast.wire.AccuracyMessage;
import dev.streamcast.wire.DeadLetterHeaders;
import dev.streamcast.wire.RejectReason;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reading path of the topology: windows, naive forecasts, scoring, samples, refusals. */
@Tag("topology")
class StreamcastTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyFixture fixture(Map<String, String> overrides) {
        return new TopologyFixture(StreamcastConfig.of(overrides), stateDir);
    }

    @Test
    void forecastsOnceTheWindowIsFullNaivelyWhileNoModelExists() {
        try (TopologyFixture f = fixture(Map.of())) {
            f.reading("s1", 1, 0);
            f.reading("s1", 2, 1);
            assertTrue(f.forecasts.isEmpty(), "no forecast before the window is full");
            f.reading("s1", 3, 2);
            TestRecord<String, String> record = f.forecasts.readRecord();
            assertEquals("s1", record.key());
            JsonNode forecast = json(record.value());
            assertEquals("s1", forecast.path("sensorId").asText());
            assertEquals("2026-11-26T12:00:02Z", forecast.path("timestamp").asText());
            assertEquals("[1.0,2.0,3.0]", forecast.path("window").toString());
            assertEquals(3.0, forecast.path("forecast").asDouble());
            assertEquals("naive", forecast.path("model").asText());
            assertEquals(0, forecast.path("modelVersion").asLong());
            assertEquals("default", forecast.path("modelId").asText());
            f.reading("s1", 4, 3);
            assertEquals("[2.0,3.0,4.0]", json(f.forecasts.readValue()).path("window").toString());
        }
    }

    @Test
    void scoresEachForecastAgainstTheReadingThatFollowsAndEmitsATrainingSample() {
        try (TopologyFixture f = fixture(Map.of())) {
            for (int i = 1; i <= 4; i++) {
                f.reading("s1", i, i);
            }
            TestRecord<String, String> scored = f.accuracy.readRecord();
            assertEquals("s1", scored.key());
            JsonNode a = json(scored.value());
            assertEquals(3.0, a.path("forecast").asDouble());
            assertEquals(4.0, a.path("actual").asDouble());
            assertFalse(a.has("error"), "format 2: the consumer computes actual - forecast");
            assertEquals(AccuracyMessage.FORMAT, a.path("format").asInt());
            assertEquals(0, a.path("modelVersion").asLong());
            assertEquals("2026-11-26T12:00:04Z", a.path("timestamp").asText());
            assertTrue(f.accuracy.isEmpty());
            List<TopologyFixture.Sample> samples = f.drainSamples();
            assertEquals(1, samples.size());
            assertEquals("default", samples.get(0).key(), "samples are keyed by model id");
            assertArrayEquals(new double[] {1, 2, 3}, samples.get(0).window());
            assertEquals(4.0, samples.get(0).actual());
            assertEquals(1, f.metrics.modelErrors().count());
            assertEquals(1.0, f.metrics.naiveErrors().rmse());
        }
    }

    @Test
    void jsonReadingsCarryTheirOwnTimestampsInIsoOrEpochMillis() {
        try (TopologyFixture f = fixture(Map.of())) {
            f.reading("s1", "{\"value\": 1, \"timestamp\": \"2026-01-01T00:00:00Z\"}", 0);
            f.reading("s1", "{\"value\": 2, \"timestamp\": 1767225660000}", 0);
            f.reading("s1", "{\"timestamp\": \"2026-01-01T00:02:00+00:00\", \"value\": 3.5, \"unit\": \"C\"}", 0);
            JsonNode forecast = json(f.forecasts.readValue());
            assertEquals("2026-01-01T00:02:00Z", forecast.path("timestamp").asText());
            assertEquals("[1.0,2.0,3.5]", forecast.path("window").toString());
        }
    }

    @Test
    void sensorsHaveSeparateWindows() {
        try (TopologyFixture f = fixture(Map.of())) {
            f.reading("a", 1, 0);
            f.reading("b", 10, 0);
            f.reading("a", 2, 1);
            f.reading("b", 20, 1);
            f.reading("a", 3, 2);
            f.reading("b", 30, 2);
            List<JsonNode> out = f.drainForecasts();
            assertEquals(2, out.size());
            assertEquals("[1.0,2.0,3.0]", out.get(0).path("window").toString());
            assertEquals("[10.0,20.0,30.0]", out.get(1).path("window").toString());
        }
    }

    private static void assertDeadLetter(TopologyFixture f, String reason, byte[] key, byte[] value) {
        TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
        assertEquals(reason, header(dead, DeadLetterHeaders.REASON));
        assertArrayEquals(key, dead.key(), "the original key");
        assertArrayEquals(value, dead.value(), "the original bytes");
        assertEquals(f.settings.topics().readings(), header(dead, DeadLetterHeaders.TOPIC));
        assertEquals("0", header(dead, DeadLetterHeaders.PARTITION));
        assertTrue(Long.parseLong(header(dead, DeadLetterHeaders.OFFSET)) >= 0);
        assertTrue(header(dead, DeadLetterHeaders.MESSAGE).length() > 0);
    }

    @Test
    void badInputGoesToTheDeadLetterTopicWithItsReasonAndNeverStopsTheStream() {
        try (TopologyFixture f = fixture(Map.of())) {
            String longKey = "k".repeat(257);
            Object[][] cases = {
                {null, "1", "missing-key"},
                {"", "1", "missing-key"},
                {longKey, "1", "key-too-long"},
                {"s", "{\"value\": ", "malformed-json"},
                {"s", "1 2", "malformed-json"},
                {"s", "", "malformed-json"},
                {"s", "\"21.5\"", "not-a-number"},
                {"s", "{\"value\": \"21.5\"}", "not-a-number"},
                {"s", "{\"temperature\": 21.5}", "not-a-number"},
                {"s", "[1, 2]", "not-a-number"},
                {"s", "true", "not-a-number"},
                {"s", "NaN", "non-finite"},
                {"s", "Infinity", "non-finite"},
                {"s", "-Infinity", "non-finite"},
                {"s", "1e400", "non-finite"},
                {"s", "1e13", "out-of-range"},
                {"s", "{\"value\": -2e12}", "out-of-range"},
                {"s", "{\"value\": 1, \"timestamp\": \"yesterday\"}", "bad-timestamp"},
                {"s", "{\"value\": 1, \"timestamp\": \"2026-11-26T13:00:01Z\"}", "future"},
            };
            for (Object[] c : cases) {
                byte[] key = bytes((String) c[0]);
                byte[] value = bytes((String) c[1]);
                f.readings.pipeInput(key, value);
                assertDeadLetter(f, (String) c[2], key, value);
            }
            byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28};
            f.readings.pipeInput(bytes("s"), invalidUtf8);
            assertDeadLetter(f, "malformed-json", bytes("s"), invalidUtf8);
            f.readings.pipeInput(invalidUtf8, bytes("1"));
            assertDeadLetter(f, "bad-key", invalidUtf8, bytes("1"));

            assertEquals(2, f.metrics.refused(RejectReason.MISSING_KEY));
            assertEquals(5, f.metrics.refused(RejectReason.NOT_A_NUMBER));
            assertEquals(0, f.metrics.accepted());
            // the stream goes on
            f.reading("s", 1, 100);
            f.reading("s", 2, 101);
            f.reading("s", 3, 102);
            assertEquals(1, f.drainForecasts().size());
            assertTrue(f.dlq.isEmpty());
        }
    }

    @Test
    void aRedeliveredReadingWithItsOwnTimestampIsDroppedAndAnOlderOneIsLate() {
        try (TopologyFixture f = fixture(Map.of())) {
            f.reading("s", stamped(1, 0), 0);
            f.reading("s", stamped(2, 1), 1);
            f.reading("s", stamped(3, 2), 2);
            f.drainForecasts();
            f.reading("s", stamped(3, 2), 9); // the same reading again: a duplicate
            f.reading("s", stamped(2, 1), 9); // an earlier reading redelivered: still in the window, a duplicate
            assertTrue(f.forecasts.isEmpty() && f.dlq.isEmpty() && f.accuracy.isEmpty());
            assertEquals(2, f.metrics.duplicates());
            f.reading("s", stamped(7, 2), 9); // same time, other value: late
            assertDeadLetter(f, "late", bytes("s"), bytes(stamped(7, 2)));
            f.reading("s", stamped(8, 1), 9); // older: late
            assertDeadLetter(f, "late", bytes("s"), bytes(stamped(8, 1)));
            f.reading("s", stamped(4, 3), 9);
            assertEquals("[2.0,3.0,4.0]", f.drainForecasts().get(0).path("window").toString());
        }
    }

    @Test
    void bareNumbersSentInOneBatchAreAllAcceptedInOffsetOrderWithTheirSharedTimestamp() {
        try (TopologyFixture f = fixture(Map.of())) {
            for (int v = 1; v <= 6; v++) {
                f.reading("s", v, 0); // one record timestamp for all six, as a producer batch gives them
            }
            assertTrue(f.dlq.isEmpty(), "none is late");
            assertEquals(0, f.metrics.duplicates());
            List<JsonNode> forecasts = f.drainForecasts();
            assertEquals(4, forecasts.size());
            assertEquals("[4.0,5.0,6.0]", forecasts.get(3).path("window").toString());
            assertEquals("2026-11-26T12:00:00Z", forecasts.get(3).path("timestamp").asText());
            assertEquals(3, f.accuracy.readValuesToList().size());
        }
    }

    @Test
    void aBareNumberAtAnOffsetAlreadyProcessedIsARedelivery() {
        byte[] stored;
        try (TopologyFixture before = fixture(Map.of())) {
            before.reading("s", 1, 0);
            before.reading("s", 2, 1);
            SensorState state = SensorStateCodec.decode(before.driver.<String, byte[]>getKeyValueStore(
                    StreamNames.SENSOR_STORE).get("s"), 3, 20);
            state.setLastOffset(1_000);
            stored = SensorStateCodec.encode(state);
        }
        try (TopologyFixture f = fixture(Map.of())) {
            // As a restart under at_least_once finds it: the restored state already holds a later offset than the
            // records read again.
            f.driver.<String, byte[]>getKeyValueStore(StreamNames.SENSOR_STORE).put("s", stored);
            f.reading("s", 3, 2);
            assertEquals(1, f.metrics.duplicates());
            assertTrue(f.dlq.isEmpty() && f.forecasts.isEmpty());
        }
    }

    /** {"value": v, "timestamp": T0 + seconds} */
    private static String stamped(double value, long seconds) {
        return "{\"value\":" + value + ",\"timestamp\":" + TopologyFixture.T0.plusSeconds(seconds).toEpochMilli() + "}";
    }

    @Test
    void aSilenceLongerThanTheMaximumGapRestartsTheWindow() {
        try (TopologyFixture f = fixture(Map.of("window.max-gap", "10m"))) {
            f.reading("s", 1, 0);
            f.reading("s", 2, 60);
            f.reading("s", 3, 120);
            assertEquals(1, f.drainForecasts().size());
            f.reading("s", 50, 120 + 601); // a gap of 10 minutes and a second: the window starts over
            assertTrue(f.forecasts.isEmpty() && f.accuracy.isEmpty() && f.drainSamples().isEmpty(),
                    "no forecast, score or sample across the gap");
            f.reading("s", 51, 780);
            f.reading("s", 52, 840);
            assertEquals("[50.0,51.0,52.0]", f.drainForecasts().get(0).path("window").toString());
            assertEquals(1, f.metrics.windowRestarts());
        }
    }

    @Test
    void stateSurvivesInTheStoreBetweenRecordsOfManySensors() {
        try (TopologyFixture f = fixture(Map.of())) {
            for (int t = 0; t < 5; t++) {
                for (int s = 0; s < 50; s++) {
                    f.reading("sensor-" + s, s * 100 + t, t);
                }
            }
            assertEquals(150, f.drainForecasts().size());
            assertEquals(100, f.accuracy.readValuesToList().size());
            assertNull(f.registry.get("default"));
        }
    }
}
