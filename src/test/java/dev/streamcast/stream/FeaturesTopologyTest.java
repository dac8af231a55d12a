package dev.streamcast.stream;

import static dev.streamcast.testing.WrittenNumbers.assertWritten;
import static dev.streamcast.stream.TopologyFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.model.Features;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.SensorStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * model.features wider than the value: the samples carry each step's features, a model of those features serves and
 * retrains, and a deployment whose models topic holds a value-only champion moves to the wider features with a model
 * forecast at every reading in between.
 */
@Tag("topology")
class FeaturesTopologyTest {

    private static final String WIDE = "value,season,day.sin,day.cos";
    private static final long HOUR_S = 3600;

    @TempDir
    Path stateDir;

    private static Map<String, String> config(int retrainEvery) {
        Map<String, String> m = new HashMap<>();
        m.put("model.features", WIDE);
        m.put("forecast.correction.readings", "0");
        // Hourly readings run ahead of the driver's wall clock.
        m.put("input.max-future-skew", "3650d");
        m.put("retrain.every.samples", Integer.toString(retrainEvery));
        m.put("retrain.min.samples", Integer.toString(Math.min(retrainEvery, 10_000)));
        m.put("retrain.every", "1h");
        m.put("retrain.epochs", "20");
        m.put("retrain.batch-size", "4");
        m.put("retrain.learning-rate", "0.01");
        return m;
    }

    /** A daily cycle, one reading an hour: 10 + 5 sin(2 pi h / 24) at the sensor's level. */
    private static double daily(double level, long hour) {
        return level + 10 + 5 * Math.sin(2 * Math.PI * hour / 24.0);
    }

    @Test
    void theSamplesCarryEachStepsFeaturesAndAModelOfThemForecastsFromThem() {
        try (TopologyFixture f = new TopologyFixture(StreamcastConfig.of(config(1_000_000)), stateDir)) {
            Features features = Features.parse(WIDE);
            Forecaster wide = ModelCodec.toForecaster(f.settings.architecture(), 7).withIdentity("default", 3, null,
                    null);
            assertEquals(features, wide.features());
            f.models.pipeInput("default", ModelCodec.encode(wide));
            double[] values = new double[5];
            for (int h = 0; h < 5; h++) {
                values[h] = daily(0, h);
                f.reading("s", values[h], h * HOUR_S);
            }
            List<TopologyFixture.Sample> samples = f.drainSamples();
            assertEquals(2, samples.size());
            // The first sample: the window of hours 0..2 (no season yet: offsets 0), then hour 3's reading.
            double[] expected = new double[12];
            for (int k = 0; k < 3; k++) {
                features.writeStep(values[k], 0, T0.plusSeconds(k * HOUR_S).toEpochMilli(), expected, 4 * k);
            }
            assertArrayEquals(expected, samples.get(0).window(), 1e-12);
            assertEquals(values[3], samples.get(0).actual());
            // T0 is 12:00 UTC: half a day, day.sin 0 and day.cos -1.
            assertEquals(-1.0, samples.get(0).window()[3], 1e-12);

            List<JsonNode> forecasts = f.drainForecasts();
            assertEquals(3, forecasts.size());
            JsonNode last = forecasts.get(2);
            assertEquals("lstm", last.path("model").asText());
            assertEquals(3, last.path("modelVersion").asLong());
            double[] row = new double[12];
            for (int k = 0; k < 3; k++) {
                features.writeStep(values[2 + k], 0, T0.plusSeconds((2 + k) * HOUR_S).toEpochMilli(), row, 4 * k);
            }
            SensorStats stats = SensorStats.of(values);
            assertWritten(wide.forecast(row, 0, stats.level(), stats.stepRms()), last.path("forecast").asDouble());
        }
    }

    @Test
    void eachStepOfTheHorizonTakesTheTimeOfItsOwnStep() {
        Map<String, String> m = config(1_000_000);
        m.put("forecast.horizon", "3");
        try (TopologyFixture f = new TopologyFixture(StreamcastConfig.of(m), stateDir)) {
            Features features = Features.parse(WIDE);
            Forecaster wide = ModelCodec.toForecaster(f.settings.architecture(), 9).withIdentity("default", 2, null,
                    null);
            f.models.pipeInput("default", ModelCodec.encode(wide));
            double[] values = new double[5];
            for (int h = 0; h < 5; h++) {
                values[h] = daily(0, h);
                f.reading("s", values[h], h * HOUR_S);
            }
            List<JsonNode> forecasts = f.drainForecasts();
            JsonNode horizon = forecasts.get(forecasts.size() - 1).path("horizon");
            SensorStats stats = SensorStats.of(values);
            // Step 1 from hours 2..4; step 2 from hours 3, 4 and step 1's forecast at hour 5; step 3 likewise.
            double[] path = {values[2], values[3], values[4], 0, 0, 0};
            for (int step = 1; step <= 3; step++) {
                double[] row = new double[12];
                for (int k = 0; k < 3; k++) {
                    long hour = 2 + (step - 1) + k;
                    features.writeStep(path[step - 1 + k], 0, T0.plusSeconds(hour * HOUR_S).toEpochMilli(), row,
                            4 * k);
                }
                double expected = wide.forecast(row, 0, stats.level(), stats.stepRms());
                assertWritten(expected, horizon.get(step - 1).path("forecast").asDouble(), "step " + step);
                path[2 + step] = expected;
            }
        }
    }

    @Test
    void perSensorScopeTrainsEachSensorsModelOnItsFeatures() {
        Map<String, String> m = config(20);
        m.put("model.scope", "per-sensor");
        try (TopologyFixture f = new TopologyFixture(StreamcastConfig.of(m), stateDir)) {
            for (int h = 0; h < 40 && f.registry.get("up") == null; h++) {
                f.reading("up", 100 + h, h * HOUR_S);
            }
            ModelRegistry.Entry up = f.registry.get("up");
            assertTrue(up != null, "a first model for sensor 'up'");
            assertEquals(Features.parse(WIDE), up.prototype().features());
            assertEquals(4, TopologyFixture.json(f.modelsOut.readValue()).path("layers").get(0).path("inputShape")
                    .get(1).asInt());
        }
    }

    @Test
    void theTrainingWarmUpTrainsTheWidenedArchitectureOnRowsOfItsFeatures() {
        ChallengerTrainer.Outcome outcome = TrainingWarmup.run(dev.streamcast.config.ForecastSettings.from(
                StreamcastConfig.of(config(100))));
        assertTrue(Double.isFinite(outcome.challengerRmse()), outcome.toString());
        assertTrue(outcome.trainingSamples() > 0, outcome.toString());
    }

    @Test
    void aValueOnlyChampionServesUntilAChallengerOfTheWiderFeaturesPassesTheGate() throws IOException {
        try (TopologyFixture f = new TopologyFixture(StreamcastConfig.of(config(60)), stateDir)) {
            Forecaster champion = RetrainingTopologyTest.rampModel("default", 1);
            assertTrue(champion.features().isValueOnly());
            f.models.pipeInput("default", RetrainingTopologyTest.document(champion));
            long hour = 0;
            int forecasts = 0;
            long widened = 0;
            while (hour < 24 * 40 && widened == 0) {
                for (String sensor : List.of("a", "b", "c")) {
                    f.reading(sensor, daily(sensor.charAt(0) * 10.0, hour), hour * HOUR_S);
                }
                hour++;
                for (JsonNode forecast : f.drainForecasts()) {
                    forecasts++;
                    // Never a gap: the champion forecasts until its successor does.
                    assertEquals("lstm", forecast.path("model").asText(), forecast.toString());
                }
                ModelRegistry.Entry entry = f.registry.get("default");
                if (!entry.prototype().features().isValueOnly()) {
                    widened = entry.version();
                }
            }
            assertTrue(widened >= 2, "no challenger of the wider features passed the gate in " + hour + " hours");
            assertTrue(forecasts >= 60, "served until the first retraining (60 samples): " + forecasts);
            ModelRegistry.Entry entry = f.registry.get("default");
            assertEquals(Features.parse(WIDE), entry.prototype().features());
            // Each retraining scored the value-only champion on its own features of the held-out samples.
            List<ChallengerTrainer.Outcome> runs = f.registry.runs();
            ChallengerTrainer.Outcome first = runs.get(runs.size() - 1);
            assertEquals(1, first.championVersion());
            assertTrue(Double.isFinite(first.championRmse()), first.toString());
            // The published document records the features.
            JsonNode doc = TopologyFixture.json(f.modelsOut.readValuesToList().get(0));
            assertEquals(WIDE, String.join(",", TopologyFixture.JSON.convertValue(doc.path("features"),
                    String[].class)));
            assertEquals(4, doc.path("layers").get(0).path("inputShape").get(1).asInt());
            // From then on the wide model forecasts.
            for (String sensor : List.of("a", "b", "c")) {
                f.reading(sensor, daily(sensor.charAt(0) * 10.0, hour), hour * HOUR_S);
            }
            for (JsonNode forecast : f.drainForecasts()) {
                assertEquals(widened, forecast.path("modelVersion").asLong());
                assertFalse(forecast.path("model").asText().equals("naive")
                        && forecast.path("naiveReason").asText().equals("no-model"));
            }
        }
    }
}
