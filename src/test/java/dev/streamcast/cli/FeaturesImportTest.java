package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.model.Features;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamcast import --features}: a Keras model of input (T, F) made by Keras 3.15 records what the stream feeds
 * each step, and the topology (in a backtest) serves it from the first full window and retrains it on samples of those
 * features; without --features it stays for predict alone, and a deployment of other model.features refuses it.
 */
@Tag("topology")
class FeaturesImportTest {

    @TempDir
    Path dir;

    /** GRU(reset_after) on (6, 3), Keras 3.15.1. */
    private static Path gru() throws URISyntaxException {
        return KerasCommandsTest.resources().resolve("made-by-keras/gru-reset-after.keras");
    }

    private Path sine() throws IOException {
        StringBuilder csv = new StringBuilder("value\n");
        for (int i = 0; i < 400; i++) {
            csv.append(10 + 5 * Math.sin(i / 6.0) + 0.3 * Math.sin(i * 1.7)).append('\n');
        }
        return Files.writeString(dir.resolve("sine.csv"), csv.toString());
    }

    @Test
    void anImportedModelOfThreeFeaturesPerStepIsServedAndRetrainedOnThoseFeatures() throws Exception {
        Path model = dir.resolve("gru.json");
        CliRun imported = CliRun.of("import", gru().toString(), "--out", model.toString(), "--features",
                "value,day.sin,day.cos");
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("the stream can serve it: window length 6, scaling none, features "
                + "value,day.sin,day.cos"), imported.out());
        ModelDocument doc = ModelCodec.parse(Files.readAllBytes(model));
        assertEquals(List.of("value", "day.sin", "day.cos"), doc.features());
        assertEquals(6, doc.windowLength());
        assertEquals(Features.parse("value,day.sin,day.cos"), ModelCodec.toForecaster(doc, 0).features());

        Path report = dir.resolve("report.json");
        CliRun run = CliRun.of("backtest", "--data", sine().toString(), "--json", report.toString(),
                "--set", "model.initial=" + model, "--set", "model.architecture=" + model,
                "--set", "model.features=value,day.sin,day.cos", "--set", "window.length=6",
                "--set", "retrain.every.samples=150", "--set", "retrain.min.samples=100");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        JsonNode series = json.path("series").get(0);
        // every reading from the sixth on is forecast, by the model from the first full window
        assertEquals(395, series.path("forecasts").asInt(), series.toString());
        assertTrue(series.path("firstModelAt").asDouble() <= 6.0 / 400, series.toString());
        JsonNode retrainings = json.path("retrainings");
        assertTrue(retrainings.size() >= 2, retrainings.toString());
        for (JsonNode retraining : retrainings) {
            assertTrue(Double.isFinite(retraining.path("challengerRmse").asDouble()), retraining.toString());
            assertTrue(retraining.path("decision").asText().contains("challenger"), retraining.toString());
        }
    }

    @Test
    void withoutFeaturesOrWithOtherFeaturesTheStreamRefusesItInOneLine() throws Exception {
        Path model = dir.resolve("plain.json");
        CliRun plain = CliRun.of("import", gru().toString(), "--out", model.toString());
        assertEquals(0, plain.exitCode(), plain.err());
        assertTrue(plain.out().contains("the stream cannot serve it: layers[0].inputShape: the stream feeds one "
                + "reading per step"), plain.out());

        CliRun.of("import", gru().toString(), "--out", dir.resolve("x.json").toString(), "--features", "value,season")
                .assertUserError("--features: 2 names (value,season) for an input of shape [6, 3] (3 features per "
                        + "step)");
        CliRun.of("import", gru().toString(), "--out", dir.resolve("x.json").toString(), "--features",
                "value,hour,day.cos").assertUserError("--features: unknown feature 'hour'");
        CliRun.of("import", gru().toString(), "--out", dir.resolve("x.json").toString(), "--features",
                "season,day.sin,day.cos").assertUserError("--features: the features must include value");

        Path wide = dir.resolve("wide.json");
        assertEquals(0, CliRun.of("import", gru().toString(), "--out", wide.toString(), "--features",
                "value,day.sin,day.cos").exitCode());
        // The seed's layers on a window of 6, widened to model.features at start.
        Path architecture = Files.writeString(dir.resolve("six.json"), Files.readString(Path.of("config/model.json"))
                .replace("\"windowLength\": 3", "\"windowLength\": 6").replace("[3, 1]", "[6, 1]"));
        CliRun.of("backtest", "--data", sine().toString(), "--set", "model.initial=" + wide, "--set",
                "model.architecture=" + architecture, "--set", "window.length=6", "--set",
                "model.features=value,week.sin,week.cos")
                .assertUserError("model.initial: ", "takes the features value,day.sin,day.cos at each step, "
                        + "model.features is value,week.sin,week.cos");
        CliRun.of("backtest", "--data", sine().toString(), "--set", "model.features=value,value")
                .assertUserError("model.features: feature 'value' is listed twice");
    }
}
