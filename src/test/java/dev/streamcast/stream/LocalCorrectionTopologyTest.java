package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.config.StreamcastConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each sensor's local correction of the network's forecast (model.LocalCorrection), through the topology. */
@Tag("topology")
class LocalCorrectionTopologyTest {

    @TempDir
    Path stateDir;

    /** A network that always forecasts 50, for a sensor whose readings scatter around 60; no floor. */
    private List<JsonNode> forecastsOfABiasedNetwork(String correctionReadings) {
        try (TopologyFixture f = new TopologyFixture(StreamcastConfig.of(Map.of("forecast.correction.readings",
                correctionReadings, "forecast.floor.readings", "0", "retrain.every.samples", "1000000",
                "retrain.min.samples", "5000")), stateDir.resolve(correctionReadings))) {
            f.models.pipeInput("default", ConstantModel.document(f.settings.architecture(), "default", 1, 50.0));
            SplittableRandom random = new SplittableRandom(5);
            for (int t = 0; t < 600; t++) {
                f.reading("s", 60 + 6 * (random.nextDouble() - 0.5), t);
            }
            return f.drainForecasts();
        }
    }

    @Test
    void theCorrectionLearnsWhatTheNetworkMissesForEachSensor() {
        List<JsonNode> forecasts = forecastsOfABiasedNetwork("1000");
        double sum = 0;
        List<JsonNode> late = forecasts.subList(forecasts.size() - 100, forecasts.size());
        for (JsonNode forecast : late) {
            assertEquals("lstm", forecast.path("model").asText());
            sum += forecast.path("forecast").asDouble();
        }
        // The correction moves a forecast by at most one typical step (about 2.4 here), towards 60.
        double mean = sum / late.size();
        assertTrue(mean > 51.5 && mean < 53, "the corrected forecasts average " + mean);
    }

    @Test
    void withForecastCorrectionReadingsZeroTheNetworksForecastIsPublishedAsItIs() {
        for (JsonNode forecast : forecastsOfABiasedNetwork("0")) {
            assertEquals(50.0, forecast.path("forecast").asDouble(), forecast.toString());
        }
    }
}
