package dev.streamcast.stream;

import static dev.streamcast.testing.WrittenNumbers.assertWritten;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.SensorSeason;
import dev.streamcast.sensor.SensorState;
import dev.streamcast.sensor.SensorStateCodec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seasons through the real topology: found per sensor, taken out of what is forecast, put back at each step. */
@Tag("topology")
class SeasonTopologyTest {

    private static final long DAY_S = 86_400;
    private static final double[] WEEKDAY = {0, 8, 8, 8, 8, 6, -38};

    @TempDir
    Path stateDir;

    // Readings from 400 days before the fixture's clock (its T0), so that none is in the future.

    /** No model (retraining never due): the forecasts are the naive ones, so what the season does is all there is. */
    private TopologyFixture fixture(Map<String, String> more) {
        Map<String, String> config = new HashMap<>(Map.of("retrain.every.samples", "1000000",
                "retrain.min.samples", "10000", "retrain.buffer.size", "10000", "forecast.horizon", "7"));
        config.putAll(more);
        return new TopologyFixture(StreamcastConfig.of(config), stateDir);
    }

    /** A daily sensor with a weekly cycle (a dip on the seventh day), a wandering level and noise. */
    private static double[] weekly(int n) {
        Random random = new Random(11);
        double[] x = new double[n];
        double level = 200;
        for (int t = 0; t < n; t++) {
            level += random.nextGaussian();
            x[t] = level + WEEKDAY[t % 7] + 2 * random.nextGaussian();
        }
        return x;
    }

    /** RMSE of the forecasts of step 1 and of the last value over the readings from {@code from} on. */
    private static double[] rmse(List<JsonNode> forecasts, double[] x, int from) {
        double model = 0;
        double naive = 0;
        int n = 0;
        // forecasts.get(k) is made after reading k + 2 (the first full window) for reading k + 3.
        for (int k = 0; k + 3 < x.length; k++) {
            int target = k + 3;
            if (target < from) {
                continue;
            }
            double f = forecasts.get(k).path("forecast").asDouble();
            model += (x[target] - f) * (x[target] - f);
            naive += (x[target] - x[target - 1]) * (x[target] - x[target - 1]);
            n++;
        }
        return new double[] {Math.sqrt(model / n), Math.sqrt(naive / n)};
    }

    @Test
    void aWeeklySensorsForecastsFollowItsWeekWhileANoisySensorKeepsTheLastValue() {
        double[] x = weekly(280);
        Random random = new Random(12);
        double[] noise = new double[280];
        for (int t = 0; t < noise.length; t++) {
            noise[t] = 50 + random.nextGaussian();
        }
        try (TopologyFixture f = fixture(Map.of())) {
            for (int t = 0; t < x.length; t++) {
                f.reading("weekly", x[t], (t - 400) * DAY_S);
                f.reading("noise", noise[t], (t - 400) * DAY_S);
            }
            List<JsonNode> all = f.drainForecasts();
            List<JsonNode> weeklyForecasts = all.stream().filter(j -> j.path("sensorId").asText().equals("weekly"))
                    .toList();
            List<JsonNode> noiseForecasts = all.stream().filter(j -> j.path("sensorId").asText().equals("noise"))
                    .toList();

            Map<String, byte[]> stored = new HashMap<>();
            stored.put("weekly", f.driver.<String, byte[]>getKeyValueStore(StreamNames.SENSOR_STORE).get("weekly"));
            stored.put("noise", f.driver.<String, byte[]>getKeyValueStore(StreamNames.SENSOR_STORE).get("noise"));
            SensorState weekly = SensorStateCodec.decode(stored.get("weekly"), 3, 20, 7);
            SensorState flat = SensorStateCodec.decode(stored.get("noise"), 3, 20, 7);
            assertEquals(SensorSeason.Cycle.WEEK, weekly.season().cycle());
            assertEquals(SensorSeason.DAY_MS, weekly.season().cadenceMs());
            assertFalse(flat.season().hasSeason());

            // The naive forecast with the season is the last value moved by the week's step: far better than the
            // last value on the weekly sensor once the season is found (by about reading 70).
            double[] errors = rmse(weeklyForecasts, x, 140);
            assertTrue(errors[0] < 0.4 * errors[1], "seasonal naive " + errors[0] + " against last value " + errors[1]);
            // Without a season, the last value exactly, as before seasons existed.
            for (int k = 0; k < noiseForecasts.size(); k++) {
                assertWritten(noise[k + 2], noiseForecasts.get(k).path("forecast").asDouble());
                assertEquals("naive", noiseForecasts.get(k).path("model").asText());
            }

            // A week ahead: step 7 lands on the same weekday as the last reading, step 6 on the one before; the
            // steps repeat the week's shape around the adjusted series' last value.
            JsonNode last = weeklyForecasts.get(weeklyForecasts.size() - 1);
            JsonNode horizon = last.path("horizon");
            assertEquals(7, horizon.size());
            int lastDay = (x.length - 1) % 7;
            double step7 = horizon.get(6).path("forecast").asDouble();
            // The level wanders (a random walk), so the adjusted series' departures last: a week ahead is about the
            // last value (the same weekday), drawn a little towards the adjusted level.
            assertEquals(x[x.length - 1], step7, 4.0, "a week ahead is about the last value: the same weekday");
            for (int h = 1; h <= 6; h++) {
                int day = (lastDay + h) % 7;
                double expected = x[x.length - 1] + (WEEKDAY[day] - WEEKDAY[lastDay]);
                assertEquals(expected, horizon.get(h - 1).path("forecast").asDouble(), 6.0,
                        "step " + h + " moves by the week's shape");
            }
        }
    }

    @Test
    void theHorizonsErrorGrowthIsLearnedAgainOnceTheSeasonIsFound() {
        double[] x = weekly(120);
        try (TopologyFixture f = fixture(Map.of())) {
            for (int t = 0; t < x.length; t++) {
                f.reading("weekly", x[t], (t - 400) * DAY_S);
            }
            SensorState state = SensorStateCodec.decode(f.driver.<String, byte[]>getKeyValueStore(
                    StreamNames.SENSOR_STORE).get("weekly"), 3, 20, 7);
            assertTrue(state.season().hasSeason());
            // Step 2 was scored for every reading from the fifth (115 of them); its mean restarted when the week was
            // found (after about 50), since steps carried in the adjusted series grow unlike steps iterated raw.
            int count = state.stepErrors().count(2);
            assertTrue(count > 0 && count < 90, "step 2's errors since the season: " + count);
        }
    }

    @Test
    void withSeasonsOffEverySensorKeepsTheLastValue() {
        double[] x = weekly(200);
        try (TopologyFixture f = fixture(Map.of("forecast.season.max-bins", "0"))) {
            for (int t = 0; t < x.length; t++) {
                f.reading("weekly", x[t], (t - 400) * DAY_S);
            }
            List<JsonNode> forecasts = f.drainForecasts();
            for (int k = 0; k < forecasts.size(); k++) {
                assertWritten(x[k + 2], forecasts.get(k).path("forecast").asDouble());
            }
        }
    }

    @Test
    void trainingSamplesCarryTheAdjustedSeries() {
        double[] x = weekly(200);
        try (TopologyFixture f = fixture(Map.of())) {
            for (int t = 0; t < x.length; t++) {
                f.reading("weekly", x[t], (t - 400) * DAY_S);
            }
            List<TopologyFixture.Sample> samples = f.drainSamples();
            SensorState state = SensorStateCodec.decode(f.driver.<String, byte[]>getKeyValueStore(
                    StreamNames.SENSOR_STORE).get("weekly"), 3, 20, 7);
            assertTrue(state.season().hasSeason());
            // Raw, three windows in seven hold the dip of 38 to 46; with the week taken out, none of the later ones.
            int rawDips = 0;
            for (int t = 150; t + 3 < x.length; t++) {
                rawDips += Math.max(x[t], Math.max(x[t + 1], x[t + 2])) - Math.min(x[t], Math.min(x[t + 1], x[t + 2]))
                        > 30 ? 1 : 0;
            }
            assertTrue(rawDips > 10, "the raw series has its dips: " + rawDips);
            for (TopologyFixture.Sample sample : samples.subList(samples.size() - 40, samples.size())) {
                double[] w = sample.window();
                double spread = Math.max(w[0], Math.max(w[1], w[2])) - Math.min(w[0], Math.min(w[1], w[2]));
                assertTrue(spread < 20, "an adjusted window without the dip: " + java.util.Arrays.toString(w));
                assertTrue(Math.abs(sample.actual() - w[2]) < 20, "and its target: " + sample);
            }
        }
    }
}
