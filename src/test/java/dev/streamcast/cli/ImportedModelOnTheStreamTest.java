package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model made by Keras, imported, runs on the stream like any other: the service's topology (in a backtest)
 * forecasts with it from the first full window and retrains it from its weights, through the GRU's backward pass.
 */
@Tag("topology")
class ImportedModelOnTheStreamTest {

    @TempDir
    Path dir;

    @Test
    void anImportedStackedGruForecastsAndRetrainsOnTheStream() throws IOException, URISyntaxException {
        // GRU(4, hard_sigmoid, return_sequences) -> Dropout -> GRU(3, relu) -> Dense(1) on (7, 1), Keras 3.15.1
        Path keras = KerasCommandsTest.resources().resolve("more/gru-hard-sigmoid-sequences.keras");
        Path model = dir.resolve("gru.json");
        CliRun imported = CliRun.of("import", keras.toString(), "--out", model.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("the stream can serve it: window length 7"), imported.out());

        StringBuilder csv = new StringBuilder("value\n");
        for (int i = 0; i < 400; i++) {
            csv.append(10 + 5 * Math.sin(i / 6.0) + 0.3 * Math.sin(i * 1.7)).append('\n');
        }
        Path data = Files.writeString(dir.resolve("sine.csv"), csv.toString());
        Path report = dir.resolve("report.json");
        CliRun run = CliRun.of("backtest", "--data", data.toString(), "--json",
                report.toString(), "--set", "model.initial=" + model, "--set", "model.architecture=" + model, "--set",
                "window.length=7", "--set", "retrain.every.samples=150", "--set", "retrain.min.samples=100");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        JsonNode series = json.path("series").get(0);
        // every reading from the seventh on is forecast, with the model there from the first full window
        assertEquals(394, series.path("forecasts").asInt(), series.toString());
        assertTrue(series.path("firstModelAt").asDouble() <= 7.0 / 400, series.toString());
        JsonNode retrainings = json.path("retrainings");
        assertTrue(retrainings.size() >= 2, retrainings.toString());
        for (JsonNode retraining : retrainings) {
            assertTrue(Double.isFinite(retraining.path("challengerRmse").asDouble()), retraining.toString());
            assertTrue(retraining.path("decision").asText().contains("challenger"), retraining.toString());
        }
    }
}
