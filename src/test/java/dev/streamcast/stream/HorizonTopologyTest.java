package dev.streamcast.stream;

import static dev.streamcast.testing.WrittenNumbers.assertWritten;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.LocalCorrection;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.sensor.SensorState;
import dev.streamcast.sensor.SensorStateCodec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forecast.horizon through the real topology: the horizon's entries, their timestamps and intervals, their scoring. */
@Tag("topology")
class HorizonTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyFixture fixture(int horizon) {
        return new TopologyFixture(StreamcastConfig.of(Map.of("forecast.horizon", Integer.toString(horizon),
                "retrain.every.samples", "1000000", "retrain.min.samples", "5000")), stateDir);
    }

    private static double value(int i) {
        return 20 + 3 * Math.sin(i / 5.0) + (i % 3);
    }

    @Test
    void aNaiveHorizonCarriesTheLastValueAtTheUsualIntervalWithWideningIntervals() {
        try (TopologyFixture f = fixture(4)) {
            for (int i = 0; i < 3; i++) {
                f.reading("s", value(i), 60L * i);
            }
            JsonNode forecast = f.drainForecasts().get(0);
            JsonNode horizon = forecast.path("horizon");
            assertEquals(4, horizon.size());
            Instant last = Instant.parse(forecast.path("timestamp").asText());
            double previousWidth = 0;
            for (int h = 1; h <= 4; h++) {
                JsonNode step = horizon.get(h - 1);
                assertEquals(h, step.path("step").asInt());
                assertEquals(last.plusSeconds(60L * h).toString(), step.path("timestamp").asText(),
                        "readings a minute apart: step " + h + " a minute later each");
                assertWritten(value(2), step.path("forecast").asDouble(), "naive: the last value at every step");
                double width = step.path("upper").asDouble() - step.path("lower").asDouble();
                assertTrue(width > previousWidth, "step " + h + "'s interval is wider than the one before");
                previousWidth = width;
            }
            SensorState state = SensorStateCodec.decode(f.driver.<String, byte[]>getKeyValueStore(
                    StreamNames.SENSOR_STORE).get("s"), 3, 20, 4);
            assertEquals(4, state.pending().horizonSteps(),
                    "the stored state knows the published horizon (the ops API's)");
            for (int h = 1; h <= 4; h++) {
                JsonNode step = horizon.get(h - 1);
                assertWritten(state.pending().stepForecast(h), step.path("forecast").asDouble());
                assertWritten(state.pending().stepLower(h), step.path("lower").asDouble());
                assertWritten(state.pending().stepUpper(h), step.path("upper").asDouble());
                assertEquals(step.path("timestamp").asText(), Instant.ofEpochMilli(state.stepTimestamp(h)).toString());
            }
            JsonNode first = horizon.get(0);
            assertEquals(forecast.path("forecast").asDouble(), first.path("forecast").asDouble());
            assertEquals(forecast.path("lower").asDouble(), first.path("lower").asDouble());
            assertEquals(forecast.path("upper").asDouble(), first.path("upper").asDouble());
        }
    }

    @Test
    void everyStepIsScoredWhenItsReadingArrivesOneAccuracyRecordPerStep() {
        int readings = 40;
        try (TopologyFixture f = fixture(3)) {
            for (int i = 0; i < readings; i++) {
                f.reading("s", value(i), 60L * i);
            }
            List<JsonNode> accuracy = f.drainAccuracy();
            Map<Integer, List<JsonNode>> bySteps = accuracy.stream()
                    .collect(Collectors.groupingBy(a -> a.path("step").asInt()));
            // Forecasts from reading 2 (the first full window) on; step k of the forecast at reading i scores i + k.
            assertEquals(readings - 3, bySteps.get(1).size());
            assertEquals(readings - 4, bySteps.get(2).size());
            assertEquals(readings - 5, bySteps.get(3).size());
            for (JsonNode a : bySteps.get(3)) {
                double actual = a.path("actual").asDouble();
                int i = (int) (Instant.parse(a.path("timestamp").asText()).getEpochSecond()
                        - TopologyFixture.T0.getEpochSecond()) / 60;
                assertEquals(value(i), actual);
                assertWritten(value(i - 3), a.path("forecast").asDouble(), "naive three steps ahead: the value then");
                assertTrue(a.path("lower").asDouble() < a.path("upper").asDouble());
                assertFalse(a.has("anomaly"), "anomalies are the one-step record's");
            }
            assertTrue(bySteps.get(1).get(0).has("anomalyScore"));
        }
    }

    @Test
    void theModelForecastsLaterStepsFromItsOwnForecastsFedBack() {
        try (TopologyFixture f = fixture(3)) {
            Forecaster model = ModelCodec.toForecaster(f.settings.architecture(), 1)
                    .withIdentity("default", 1, "2026-11-26T00:00:00Z", null);
            byte[] document = ModelCodec.encode(model);
            f.models.pipeInput("default", document);
            Forecaster expected = ModelCodec.decode(document, 0);
            for (int i = 0; i < 6; i++) {
                f.reading("s", value(i), 60L * i);
            }
            List<JsonNode> forecasts = f.drainForecasts();
            JsonNode last = forecasts.get(forecasts.size() - 1);
            assertEquals("lstm", last.path("model").asText());
            SensorState state = SensorStateCodec.decode(f.driver.<String, byte[]>getKeyValueStore(
                    StreamNames.SENSOR_STORE).get("s"), 3, 20, 3);
            // Each step is the network's forecast of its window, with the sensor's local correction
            LocalCorrection correction = state.correction();
            assertTrue(correction.updates() > 0, "the correction has learned from the scored readings");
            double level = state.level();
            double stepRms = state.stepRms();
            double[] path = {value(3), value(4), value(5), 0, 0};
            path[3] = correction.corrected(path, 0, level, stepRms, expected.forecast(path, 0, level, stepRms));
            path[4] = correction.corrected(path, 1, level, stepRms, expected.forecast(path, 1, level, stepRms));
            double step3 = correction.corrected(path, 2, level, stepRms, expected.forecast(path, 2, level, stepRms));
            assertNotEquals(expected.forecast(path, 2, level, stepRms), step3, "and the correction moved it");
            JsonNode horizon = last.path("horizon");
            assertWritten(path[3], last.path("forecast").asDouble());
            assertWritten(path[3], horizon.get(0).path("forecast").asDouble());
            assertWritten(path[4], horizon.get(1).path("forecast").asDouble());
            assertWritten(step3, horizon.get(2).path("forecast").asDouble());
            // a model's forecast carries its interval as a naive one does, around it, at every step
            assertTrue(last.path("lower").asDouble() < path[3] && path[3] < last.path("upper").asDouble(),
                    last.toString());
            for (JsonNode step : horizon) {
                double forecast = step.path("forecast").asDouble();
                assertTrue(step.path("lower").asDouble() < forecast && forecast < step.path("upper").asDouble(),
                        step.toString());
            }
        }
    }

    @Test
    void theDefaultHorizonIsOneStepAndOneAccuracyRecordPerScoredReading() {
        Map<String, String> config = new HashMap<>(Map.of("retrain.every.samples", "1000000",
                "retrain.min.samples", "5000"));
        try (TopologyFixture f = new TopologyFixture(StreamcastConfig.of(config), stateDir)) {
            for (int i = 0; i < 10; i++) {
                f.reading("s", value(i), 60L * i);
            }
            List<JsonNode> forecasts = f.drainForecasts();
            assertTrue(forecasts.stream().allMatch(x -> x.path("horizon").size() == 1));
            List<JsonNode> accuracy = f.drainAccuracy();
            assertEquals(7, accuracy.size());
            assertTrue(accuracy.stream().allMatch(a -> a.path("step").asInt() == 1));
        }
    }
}
