package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.Predictor;
import dev.streamcast.nn.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;


/**
 * {@code streamcast export}, through the command line main() runs, on every model of {@link KerasExportFixtures}:
 * each export in either format, imported back with the scaling file written beside it, predicts as the model did; a
 * model a format cannot hold is refused in one line naming the format that can; the {@code .keras} zip is laid out as
 * Keras writes it; every mistake is one line with exit code 2. {@link KerasExportReadersTest} has Keras and TF.js read
 * the exports.
 */
@Tag("unit")
class KerasExportTest extends KerasExportFixtures {

    @Test
    void everyExportImportsBackWithItsScalingAndPredictsAsTheModel() throws Exception {
        int exported = 0;
        for (String format : List.of("keras", "tfjs")) {
            for (String name : models.keySet()) {
                Path out = export(name, format);
                if (out == null) {
                    continue;
                }
                exported++;
                if (format.equals("keras")) {
                    assertRoundTrip(name, out, out.resolveSibling(name + "-keras.scaling.json"));
                } else {
                    assertRoundTrip(name, out.resolve("model.json"), out.resolve("scaling.json"));
                }
            }
        }
        assertTrue(exported >= 25, "only " + exported + " exports");
    }

    @Test
    void theKerasFileIsLaidOutAsKerasWritesIt() throws Exception {
        Path out = dir.resolve("m.keras");
        CliRun run = CliRun.of("export", models.get("made-by-keras_stacked-lstm-gru.keras").toString(),
                "--format", "keras", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        try (ZipFile zip = new ZipFile(out.toFile())) {
            assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"),
                    zip.stream().map(e -> e.getName()).toList());
            JsonNode metadata = JSON.readTree(zip.getInputStream(zip.getEntry("metadata.json")));
            assertTrue(metadata.path("keras_version").asText().startsWith("3."), metadata.toString());
            JsonNode config = JSON.readTree(zip.getInputStream(zip.getEntry("config.json")));
            assertEquals("Sequential", config.path("class_name").asText());
            List<String> classes = new ArrayList<>();
            config.path("config").path("layers").forEach(l -> classes.add(l.path("class_name").asText() + ":"
                    + l.path("config").path("name").asText()));
            assertEquals(List.of("InputLayer:input_layer", "LSTM:lstm", "GRU:gru", "Dense:dense", "Dropout:dropout",
                    "Dense:dense_1"), classes);
        }
    }

    @Test
    void mistakesAreOneLineWithExitCode2() throws Exception {
        String model = models.get("stream-default").toString();
        assertUserError(CliRun.of("export", model, "--format", "keras", "--out",
                dir.resolve("m.h5").toString()), "must end in .keras");
        assertUserError(CliRun.of("export", dir.resolve("missing.json").toString(), "--format", "keras",
                "--out", dir.resolve("m.keras").toString()), "no such file");
        assertUserError(CliRun.of("export", "config/model.json", "--format", "tfjs", "--out",
                dir.resolve("t").toString()), "without weights");
        assertUserError(CliRun.of("export", model, "--format", "onnx", "--out",
                dir.resolve("m.onnx").toString()), "--format");
        Files.writeString(dir.resolve("file"), "x");
        assertUserError(CliRun.of("export", model, "--format", "tfjs", "--out",
                dir.resolve("file").toString()), "is a file");
        assertFalse(Files.exists(dir.resolve("m.h5")));
    }

    /**
     * The export imported back, with the scaling written beside it, predicts as the model did: exactly for a model
     * whose weights were float32 already (imported from Keras), to float32's rounding for one trained in doubles.
     */
    private void assertRoundTrip(String name, Path exported, Path scaling) throws IOException {
        assertTrue(Files.isRegularFile(scaling), "no " + scaling);
        Path back = dir.resolve(name + ".back.json");
        CliRun run = CliRun.of("import", exported.toString(), "--scaling", scaling.toString(), "--out",
                back.toString(), "--model-id", "back");
        assertEquals(0, run.exitCode(), run.err());
        ModelDocument original = ModelFiles.readDocument(models.get(name));
        Predictor before = ModelCodec.toPredictor(original);
        Predictor after = ModelCodec.toPredictor(ModelFiles.readDocument(back));
        assertEquals(original.scaling(), ModelFiles.readDocument(back).scaling(), name);
        boolean float32 = !name.startsWith("stream-");
        for (JsonNode input : inputs.get(name)) {
            double[] x = flat(input);
            Golden.assertClose(before.predict(x), after.predict(x), float32 ? 0 : 1e-6, float32 ? 0 : 1e-9,
                    name + " imported back from " + exported.getFileName());
        }
    }

}
