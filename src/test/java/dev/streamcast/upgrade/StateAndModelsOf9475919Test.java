package dev.streamcast.upgrade;

import static dev.streamcast.testing.WrittenNumbers.assertWritten;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.sensor.SensorState;
import dev.streamcast.sensor.SensorStateCodec;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.stream.StreamMetrics;
import dev.streamcast.stream.StreamNames;
import dev.streamcast.stream.StreamcastTopology;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The version under test reads what commit 9475919 wrote: its sensor states (the sensor-state store's changelog
 * values, format 8) and its model documents, as kept in {@code src/test/resources/upgrade/9475919/} (its README says
 * how they were made). Each state reads back as the sensor's window, last offset and pending forecast as 9475919's
 * own outputs show them; each model document decodes to a usable model; and in the real topology, the states put in
 * the store and the documents on the models topic, the next reading of every sensor is forecast by 9475919's model
 * from a window that reaches back into the old state, and scored against the forecast 9475919 made for it.
 */
@Tag("topology")
class StateAndModelsOf9475919Test {

    private static final String DIR = "upgrade/9475919/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANGELOG = "faults-upgrade-sensor-state-changelog";
    private static final int WINDOW = 3;
    private static final int HISTORY = 20;

    @TempDir
    Path stateDir;

    /** A record of the recorded topics. */
    record Stored(int partition, long offset, long timestamp, String key, byte[] value) {
    }

    /** A reading the old version was sent: its topic offset, timestamp and value. */
    record Reading(long offset, long timestamp, double value) {
    }

    @Test
    void everyStateOf9475919ReadsBackAsItsOutputsShowIt() {
        Map<String, List<Reading>> readings = readings();
        Map<String, JsonNode> lastForecasts = lastForecasts();
        Map<String, byte[]> states = latestStates();
        assertEquals(readings.keySet(), states.keySet(), "a stored state for every sensor");
        for (Stored r : topic(CHANGELOG)) {
            assertEquals(8, r.value()[0], "9475919 writes sensor states in format 8: " + r.key());
        }
        for (Map.Entry<String, byte[]> e : states.entrySet()) {
            String sensor = e.getKey();
            List<Reading> sent = readings.get(sensor);
            SensorState state = SensorStateCodec.decode(e.getValue(), WINDOW, HISTORY);
            assertEquals(WINDOW, state.count(), sensor);
            double[] window = new double[WINDOW];
            for (int k = 0; k < WINDOW; k++) {
                Reading r = sent.get(sent.size() - WINDOW + k);
                window[k] = r.value();
                assertEquals(r.timestamp(), state.timestamps()[k], sensor + " window timestamp " + k);
            }
            assertArrayEquals(window, java.util.Arrays.copyOf(state.values(), WINDOW), sensor + "'s window");
            assertEquals(sent.get(sent.size() - 1).offset(), state.lastOffset(), sensor + "'s last offset");

            JsonNode forecast = lastForecasts.get(sensor);
            assertNotNull(forecast, sensor + " has a forecast from 9475919");
            assertTrue(state.pending().isPresent(), sensor + "'s pending forecast");
            assertEquals(forecast.path("forecast").asDouble(), state.pending().forecast(), sensor);
            assertEquals(forecast.path("modelVersion").asLong(), state.pending().version(), sensor);
            assertEquals(forecast.path("lower").asDouble(), state.pending().lower(), sensor);
            assertEquals(forecast.path("upper").asDouble(), state.pending().upper(), sensor);
            assertTrue(state.history().length > 0, sensor + "'s scored history");

            // Written again in this version's format and read back: the same state.
            SensorState again = SensorStateCodec.decode(SensorStateCodec.encode(state), WINDOW, HISTORY);
            assertArrayEquals(SensorStateCodec.encode(state), SensorStateCodec.encode(again), sensor);
        }
    }

    @Test
    void everyModelDocumentOf9475919DecodesToAUsableModel() {
        List<Stored> documents = topic("streamcast-models");
        assertFalse(documents.isEmpty(), "9475919's models topic");
        long latest = 0;
        for (Stored d : documents) {
            Forecaster model = ModelCodec.decode(d.value(), 0);
            assertEquals(d.key(), model.modelId());
            assertEquals(WINDOW, model.windowLength());
            double forecast = model.forecast(new double[] {20.1, 20.4, 20.2});
            assertTrue(Double.isFinite(forecast), "version " + model.version() + " forecasts " + forecast);
            latest = Math.max(latest, model.version());
        }
        assertTrue(latest > 0, "a trained model (version above 0) among 9475919's documents");
    }

    @Test
    void theTopologyForecastsFromTheOldStatesWithTheOldModels() {
        Map<String, List<Reading>> readings = readings();
        Map<String, JsonNode> lastForecasts = lastForecasts();
        StreamcastConfig config = StreamcastConfig.defaults();
        ForecastSettings settings = ForecastSettings.from(config);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamcast-upgrade-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // The driver's wall clock at the new readings' time: later, they would be refused as from the future.
        long newest = readings.values().stream().mapToLong(r -> r.get(r.size() - 1).timestamp()).max().orElseThrow();
        Instant start = Instant.ofEpochMilli(newest + 60_000);
        long latestModel = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(StreamcastTopology.build(settings, new ModelRegistry(),
                new StreamMetrics(), Runnable::run), props, start)) {
            TestInputTopic<String, byte[]> models = driver.createInputTopic(settings.topics().models(),
                    new StringSerializer(), new ByteArraySerializer());
            for (Stored d : topic("streamcast-models")) {
                models.pipeInput(d.key(), d.value());
                latestModel = Math.max(latestModel, ModelCodec.parse(d.value()).version());
            }
            KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StreamNames.SENSOR_STORE);
            latestStates().forEach(store::put);

            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(settings.topics().readings(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, String> forecasts = driver.createOutputTopic(settings.topics().forecasts(),
                    new StringDeserializer(), new StringDeserializer());
            TestOutputTopic<String, String> accuracy = driver.createOutputTopic(settings.topics().accuracy(),
                    new StringDeserializer(), new StringDeserializer());
            Map<String, double[]> expectedWindows = new LinkedHashMap<>();
            for (Map.Entry<String, List<Reading>> e : readings.entrySet()) {
                List<Reading> sent = e.getValue();
                Reading last = sent.get(sent.size() - 1);
                double next = last.value() + 0.25;
                long t = last.timestamp() + 60_000;
                expectedWindows.put(e.getKey(), new double[] {sent.get(sent.size() - 2).value(), last.value(), next});
                input.pipeInput(bytes(e.getKey()), bytes("{\"value\": " + next + ", \"timestamp\": " + t + "}"),
                        Instant.ofEpochMilli(t));
            }
            Map<String, JsonNode> made = new TreeMap<>();
            forecasts.readValuesToList().forEach(v -> put(made, v));
            Map<String, JsonNode> scored = new TreeMap<>();
            accuracy.readValuesToList().forEach(v -> put(scored, v));
            assertEquals(expectedWindows.keySet(), made.keySet(), "one forecast per sensor");
            for (Map.Entry<String, double[]> e : expectedWindows.entrySet()) {
                JsonNode f = made.get(e.getKey());
                double[] window = new double[WINDOW];
                for (int k = 0; k < WINDOW; k++) {
                    window[k] = f.path("window").get(k).asDouble();
                }
                assertArrayEquals(e.getValue(), window, e.getKey() + ": the window reaches back into the old state");
                assertEquals("lstm", f.path("model").asText(), e.getKey() + ": " + f);
                assertEquals(latestModel, f.path("modelVersion").asLong(), e.getKey() + ": 9475919's newest model");
                JsonNode a = scored.get(e.getKey());
                assertNotNull(a, e.getKey() + "'s new reading scored");
                assertWritten(lastForecasts.get(e.getKey()).path("forecast").asDouble(), a.path("forecast").asDouble(),
                        e.getKey() + ": scored against the forecast 9475919 made for it");
            }
        }
    }

    private static void put(Map<String, JsonNode> bySensor, String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node.path("step").asInt(1) == 1) {
                bySensor.put(node.path("sensorId").asText(), node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The readings 9475919 was sent, per sensor in offset order (a redelivery, same timestamp, counted once). */
    private static Map<String, List<Reading>> readings() {
        Map<String, List<Reading>> out = new TreeMap<>();
        for (Stored r : topic("sensor-readings")) {
            JsonNode payload = json(r.value());
            List<Reading> list = out.computeIfAbsent(r.key(), k -> new ArrayList<>());
            long t = payload.path("timestamp").asLong();
            if (list.isEmpty() || list.get(list.size() - 1).timestamp() != t) {
                list.add(new Reading(r.offset(), t, payload.path("value").asDouble()));
            }
        }
        return out;
    }

    /** The last forecast 9475919 published for each sensor (read_committed, as recorded). */
    private static Map<String, JsonNode> lastForecasts() {
        Map<String, JsonNode> out = new TreeMap<>();
        for (Stored r : topic("sensor-forecasts")) {
            JsonNode f = json(r.value());
            JsonNode before = out.get(r.key());
            if (before == null || Instant.parse(before.path("timestamp").asText())
                    .isBefore(Instant.parse(f.path("timestamp").asText()))) {
                out.put(r.key(), f);
            }
        }
        return out;
    }

    /** Each sensor's newest state on the changelog (what compaction keeps). */
    private static Map<String, byte[]> latestStates() {
        Map<String, byte[]> out = new TreeMap<>();
        for (Stored r : topic(CHANGELOG)) {
            out.put(r.key(), r.value());
        }
        return out;
    }

    /** A recorded topic's records, by partition in offset order (RecordedDeployment's files). */
    private static List<Stored> topic(String name) {
        JsonNode deployment = json(read(DIR + "deployment.json"));
        for (JsonNode t : deployment.path("topics")) {
            if (t.path("name").asText().equals(name)) {
                String file = DIR + t.path("file").asText();
                byte[] content = read(file);
                List<Stored> out = new ArrayList<>();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(file.endsWith(".gz")
                        ? new GZIPInputStream(new java.io.ByteArrayInputStream(content))
                        : new java.io.ByteArrayInputStream(content), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        JsonNode n = json(line.getBytes(StandardCharsets.UTF_8));
                        out.add(new Stored(n.path("partition").asInt(), n.path("offset").asLong(),
                                n.path("timestamp").asLong(), text(n.path("key")), decode(n.path("value"))));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return out;
            }
        }
        throw new AssertionError("no recorded topic " + name);
    }

    private static String text(JsonNode base64) {
        byte[] b = decode(base64);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] decode(JsonNode base64) {
        return base64.isNull() || base64.isMissingNode() ? null : Base64.getDecoder().decode(base64.asText());
    }

    private static byte[] read(String resource) {
        try (InputStream in = StateAndModelsOf9475919Test.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new AssertionError("test resource missing: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
