package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.sensor.ReadingResolution;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prediction intervals and anomalies through the real topology (no model: naive forecasts, a random walk). */
@Tag("topology")
class IntervalsAndAnomaliesTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyFixture fixture(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(overrides);
        // No retraining: the forecasts stay naive, whose errors are the walk's steps.
        config.put("retrain.every.samples", "1000000");
        config.put("retrain.min.samples", "5000");
        return new TopologyFixture(StreamcastConfig.of(config), stateDir);
    }

    /** A Gaussian random walk with steps of standard deviation 1. */
    private static double[] walk(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        double x = 100;
        for (int i = 0; i < n; i++) {
            values[i] = x;
            x += gaussian(random);
        }
        return values;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Test
    void theFirstForecastsIntervalComesFromItsWindowsSteps() {
        try (TopologyFixture f = fixture(Map.of())) {
            f.reading("s", 1, 0);
            f.reading("s", 2, 1);
            f.reading("s", 4, 2);
            JsonNode forecast = f.drainForecasts().get(0);
            // Steps 1 and 2: RMS sqrt(2.5); at level 0.9 the half-width is z(0.95) = 1.6449 times it.
            double half = 1.6449 * Math.sqrt(2.5);
            assertEquals(4 - half, forecast.path("lower").asDouble(), 1e-3);
            assertEquals(4 + half, forecast.path("upper").asDouble(), 1e-3);
        }
    }

    @Test
    void intervalsCoverAboutTheirLevelAndAboutOnePercentIsFlagged() {
        try (TopologyFixture f = fixture(Map.of())) {
            double[] values = walk(1200, 7);
            for (int i = 0; i < values.length; i++) {
                f.reading("walk", values[i], i);
            }
            List<JsonNode> scored = f.drainAccuracy();
            int covered = 0;
            int anomalies = 0;
            List<JsonNode> measured = scored.subList(400, scored.size());
            for (JsonNode a : measured) {
                double actual = a.path("actual").asDouble();
                assertTrue(a.path("lower").asDouble() < a.path("forecast").asDouble());
                assertTrue(a.path("upper").asDouble() > a.path("forecast").asDouble());
                if (actual >= a.path("lower").asDouble() && actual <= a.path("upper").asDouble()) {
                    covered++;
                }
                double score = a.path("anomalyScore").asDouble();
                assertTrue(score >= 0 && score <= 1, "score " + score);
                assertEquals(score >= 0.99, a.path("anomaly").asBoolean());
                if (a.path("anomaly").asBoolean()) {
                    anomalies++;
                }
                assertEquals(1, a.path("step").asInt());
            }
            double coverage = covered / (double) measured.size();
            assertTrue(coverage >= 0.86 && coverage <= 0.94, "coverage " + coverage);
            double rate = anomalies / (double) measured.size();
            assertTrue(rate <= 0.03, "anomaly rate " + rate);
            assertEquals(f.metrics.intervalsScored(), scored.size());
        }
    }

    @Test
    void aSpikeIsFlaggedCopiedToTheAnomaliesTopicCountedAndNotTrainedOn() {
        try (TopologyFixture f = fixture(Map.of())) {
            double[] values = walk(300, 11);
            for (int i = 0; i < values.length; i++) {
                f.reading("walk", values[i], i);
            }
            f.drainAccuracy();
            f.drainSamples();
            f.anomalies.readValuesToList();
            long anomaliesBefore = f.metrics.anomalies();
            double spike = values[values.length - 1] + 10;
            f.reading("walk", spike, values.length);

            JsonNode scored = f.drainAccuracy().get(0);
            assertTrue(scored.path("anomaly").asBoolean(), scored.toString());
            assertTrue(scored.path("anomalyScore").asDouble() >= 0.99);
            List<String> copies = f.anomalies.readValuesToList();
            assertEquals(1, copies.size());
            assertEquals(scored, TopologyFixture.json(copies.get(0)), "the anomaly record is the accuracy record");
            assertEquals(anomaliesBefore + 1, f.metrics.anomalies());
            assertTrue(f.drainSamples().isEmpty(), "no training sample whose target is the spike");

            // Back to the level: the naive forecast was the spike, so this reading is off by as much.
            double level = values[values.length - 1];
            f.reading("walk", level, values.length + 1);
            assertTrue(f.drainAccuracy().get(0).path("anomaly").asBoolean());
            f.reading("walk", level, values.length + 2);
            assertFalse(f.drainAccuracy().get(0).path("anomaly").asBoolean());
            List<TopologyFixture.Sample> after = f.drainSamples();
            assertEquals(1, after.size(), "a reading that is not anomalous trains as usual");
            assertEquals(spike, after.get(0).window()[1], "with the spike in its window");
        }
    }

    @Test
    void anEmptyAnomaliesTopicNameDisablesTheCopyButNotTheFlag() {
        try (TopologyFixture f = fixture(Map.of("topics.anomalies", ""))) {
            assertNull(f.anomalies);
            assertFalse(f.settings.topics().all().contains(""));
            double[] values = walk(300, 11);
            for (int i = 0; i < values.length; i++) {
                f.reading("walk", values[i], i);
            }
            f.drainAccuracy();
            f.reading("walk", values[values.length - 1] + 10, values.length);
            assertTrue(f.drainAccuracy().get(0).path("anomaly").asBoolean());
        }
    }

    @Test
    void aQuantisedSensorsBoundsAreDrawnInToItsGridAtEveryStepAndScoredAsPublished() {
        try (TopologyFixture f = fixture(Map.of("forecast.horizon", "3"))) {
            double[] values = walk(400, 11);
            for (int i = 0; i < values.length; i++) {
                // One decimal place, as a thermometer reporting tenths sends them.
                f.reading("tenths", Math.rint(values[i] * 10) / 10, i);
            }
            List<JsonNode> forecasts = f.drainForecasts();
            int drawnIn = 0;
            for (JsonNode forecast : forecasts.subList(ReadingResolution.TRUSTED_READINGS, forecasts.size())) {
                for (JsonNode step : forecast.path("horizon")) {
                    double lower = step.path("lower").asDouble();
                    double upper = step.path("upper").asDouble();
                    assertEquals(Math.rint(lower * 10) / 10, lower, "a grid point: " + step);
                    assertEquals(Math.rint(upper * 10) / 10, upper, "a grid point: " + step);
                    assertTrue(lower <= step.path("forecast").asDouble() && upper >= step.path("forecast").asDouble());
                    drawnIn++;
                }
                assertEquals(forecast.path("lower"), forecast.path("horizon").get(0).path("lower"));
            }
            assertTrue(drawnIn > 1000);
            // Each scored step carries the bounds its forecast published: the forecast made `step` readings before
            // (forecast k is made from readings k..k+2, stamped with reading k + 2's time, one reading a second).
            long firstReading = millis(forecasts.get(0)) - 2000;
            int checked = 0;
            for (JsonNode accuracy : f.drainAccuracy()) {
                int step = accuracy.path("step").asInt();
                int origin = (int) ((millis(accuracy) - firstReading) / 1000) - step - 2;
                if (origin < ReadingResolution.TRUSTED_READINGS) {
                    continue;
                }
                JsonNode published = forecasts.get(origin).path("horizon").get(step - 1);
                assertEquals(published.path("lower"), accuracy.path("lower"), accuracy.toString());
                assertEquals(published.path("upper"), accuracy.path("upper"), accuracy.toString());
                checked++;
            }
            assertTrue(checked > 1000, "checked " + checked);
        }
    }

    private static long millis(JsonNode message) {
        return Instant.parse(message.path("timestamp").asText()).toEpochMilli();
    }
}
