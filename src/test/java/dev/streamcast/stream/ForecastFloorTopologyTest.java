package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.wire.ForecastSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-sensor floor through the real topology: a model that always forecasts 0, against sensors where the last
 * value is better (a steady 10) and where the model is better (readings alternating -1 / +1).
 */
@Tag("topology")
class ForecastFloorTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyFixture fixture(int floorReadings) {
        // The network's forecast as it is (no local correction): the floor is tested against a known model.
        TopologyFixture f = new TopologyFixture(StreamcastConfig.of(Map.of("forecast.floor.readings",
                Integer.toString(floorReadings), "retrain.every.samples", "1000000", "retrain.min.samples", "5000",
                "forecast.correction.readings", "0")), stateDir);
        f.models.pipeInput("default", ConstantModel.document(f.settings.architecture(), "default", 3, 0.0));
        return f;
    }

    @Test
    void aNaiveForecastSaysWhyNoModelExistsYet() {
        try (TopologyFixture f = new TopologyFixture(StreamcastConfig.of(Map.of()), stateDir)) {
            for (int i = 0; i < 3; i++) {
                f.reading("s", i, i);
            }
            JsonNode forecast = f.drainForecasts().get(0);
            assertEquals("naive", forecast.path("model").asText());
            assertEquals("no-model", forecast.path("naiveReason").asText());
            assertEquals(0, forecast.path("modelVersion").asLong());
            assertEquals(1, f.metrics.naiveForecasts(ForecastSource.NAIVE_NO_MODEL));
        }
    }

    @Test
    void theFloorServesNaiveWhereTheModelHasBeenWorseKeepingTheModelVersionAndScoringBoth() {
        try (TopologyFixture f = fixture(5)) {
            long t = 0;
            for (int i = 0; i < 3; i++) {
                f.reading("steady", 10, t++);
            }
            // Five scored model forecasts (0 against 10; the last value, 10, is exact): the floor engages.
            for (int i = 0; i < 5; i++) {
                f.reading("steady", 10, t++);
            }
            List<JsonNode> forecasts = f.drainForecasts();
            assertEquals(6, forecasts.size());
            for (JsonNode byModel : forecasts.subList(0, 5)) {
                assertEquals("lstm", byModel.path("model").asText());
                assertFalse(byModel.has("naiveReason"), byModel.toString());
            }
            JsonNode floored = forecasts.get(5);
            assertEquals("naive", floored.path("model").asText());
            assertEquals("floor", floored.path("naiveReason").asText());
            assertEquals(3, floored.path("modelVersion").asLong(), "the version in use, also under the floor");
            assertEquals(10.0, floored.path("forecast").asDouble());
            f.drainAccuracy();

            f.reading("steady", 10, t++);
            JsonNode scored = f.drainAccuracy().get(0);
            assertEquals(10.0, scored.path("forecast").asDouble(), "the accuracy record scores the published forecast");
            assertEquals("naive", scored.path("model").asText());
            assertEquals(0.0, scored.path("modelForecast").asDouble(), "and carries the model's held-back one");
            assertEquals(3, scored.path("modelVersion").asLong());
            assertEquals(2, f.metrics.naiveForecasts(ForecastSource.NAIVE_FLOOR), "two forecasts served by the floor");
        }
    }

    @Test
    void theModelIsServedAgainOnceItWinsAgain() {
        try (TopologyFixture f = fixture(5)) {
            long t = 0;
            for (int i = 0; i < 8; i++) {
                f.reading("s", 10, t++);
            }
            assertEquals("floor", last(f.drainForecasts()).path("naiveReason").asText());
            // Now the readings alternate around the model's 0: the model's error is 1, the last value's 2.
            int switchedBackAfter = -1;
            for (int i = 0; i < 40 && switchedBackAfter < 0; i++) {
                f.reading("s", i % 2 == 0 ? -1 : 1, t++);
                JsonNode forecast = last(f.drainForecasts());
                if (forecast.path("model").asText().equals("lstm")) {
                    switchedBackAfter = i + 1;
                } else {
                    assertEquals("floor", forecast.path("naiveReason").asText());
                }
            }
            assertTrue(switchedBackAfter > 0, "the model never won its sensor back");
            assertTrue(switchedBackAfter <= 20, "the model won back only after " + switchedBackAfter + " readings");
        }
    }

    @Test
    void theFloorIsPerSensor() {
        try (TopologyFixture f = fixture(5)) {
            long t = 0;
            for (int i = 0; i < 12; i++) {
                f.reading("steady", 10, t);
                f.reading("alternating", i % 2 == 0 ? -1 : 1, t++);
            }
            JsonNode steady = null;
            JsonNode alternating = null;
            for (JsonNode forecast : f.drainForecasts()) {
                if (forecast.path("sensorId").asText().equals("steady")) {
                    steady = forecast;
                } else {
                    alternating = forecast;
                }
            }
            assertEquals("floor", steady.path("naiveReason").asText());
            assertEquals("lstm", alternating.path("model").asText());
        }
    }

    @Test
    void noFloorWhenForecastFloorReadingsIsZero() {
        try (TopologyFixture f = fixture(0)) {
            for (int i = 0; i < 30; i++) {
                f.reading("steady", 10, i);
            }
            assertEquals("lstm", last(f.drainForecasts()).path("model").asText());
            assertEquals(0, f.metrics.naiveForecasts(ForecastSource.NAIVE_FLOOR));
        }
    }

    private static JsonNode last(List<JsonNode> nodes) {
        return nodes.get(nodes.size() - 1);
    }
}
