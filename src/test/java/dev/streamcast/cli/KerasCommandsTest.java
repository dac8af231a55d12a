package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.nn.Golden;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code streamcast import} and {@code streamcast predict --inputs}, through the command line main() runs: every
 * Keras file of src/test/resources/keras imported and run on its reference inputs gives Keras's outputs; scaling,
 * model ids, and every mistake a one-line error with exit code 2.
 */
@Tag("unit")
class KerasCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Path resources() throws URISyntaxException {
        return Path.of(KerasCommandsTest.class.getResource("/keras/README.md").toURI()).getParent();
    }

    static List<String> kerasFiles() throws IOException, URISyntaxException {
        List<String> files = new ArrayList<>();
        try (var paths = Files.walk(resources())) {
            for (Path p : paths.sorted().toList()) {
                String name = p.getFileName().toString();
                if ((name.endsWith(".keras") || name.endsWith(".h5") || name.equals("model.json"))
                        && !name.startsWith("refused-")) {
                    files.add(resources().relativize(p).toString());
                }
            }
        }
        return files;
    }

    private static Path reference(Path kerasFile) {
        String name = kerasFile.getFileName().toString();
        if (name.equals("model.json")) {  // a TensorFlow.js model's folder
            return kerasFile.resolveSibling("reference.json");
        }
        return kerasFile.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".reference.json");
    }


    private Path imported(String file, String... more) throws URISyntaxException {
        Path out = dir.resolve("imported.json");
        List<String> args = new ArrayList<>(List.of("import", resources().resolve(file).toString(), "--out",
                out.toString()));
        args.addAll(Arrays.asList(more));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("imported "), run.out());
        return out;
    }

    @ParameterizedTest
    @MethodSource("kerasFiles")
    void importedThenPredictedGivesKerasOutputs(String file) throws IOException, URISyntaxException {
        Path model = imported(file);
        Path reference = reference(resources().resolve(file));
        // the reference file itself is a valid INPUTS.json: an object whose "inputs" is the array of inputs
        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--inputs", reference.toString(),
                "--json");
        assertEquals(0, predict.exitCode(), predict.err());
        JsonNode outputs = JSON.readTree(predict.out());
        JsonNode expected = JSON.readTree(reference.toFile()).path("outputs");
        assertEquals(expected.size(), outputs.size());
        for (int k = 0; k < expected.size(); k++) {
            Golden.assertClose(Golden.values(expected.get(k)), Golden.values(outputs.get(k)), 1e-6, 1e-12,
                    file + " output " + k);
        }
    }

    @Test
    void aScalingFileFeedsTheModelWhatTheNotebookDidAndMapsTheOutputBack() throws Exception {
        // LSTM_model.h5 takes 13 features: each scaled by min/max from [-1, 3] to [0, 1], the target by mean 10, std 2
        ObjectNode scaling = JSON.createObjectNode();
        ArrayNode features = scaling.putArray("features");
        for (int f = 0; f < 13; f++) {
            features.addObject().put("kind", "minmax").put("min", -1.0).put("max", 3.0);
        }
        scaling.putObject("target").put("kind", "standard").put("mean", 10.0).put("std", 2.0);
        Path scalingFile = Files.writeString(dir.resolve("scaling.json"), scaling.toString());
        Path model = imported("LSTM_model.h5", "--scaling", scalingFile.toString(), "--model-id", "prices");
        JsonNode doc = JSON.readTree(model.toFile());
        assertEquals("prices", doc.path("modelId").asText());
        assertEquals("columns", doc.path("scaling").path("kind").asText());
        assertEquals("2.3.1", doc.path("imported").path("kerasVersion").asText());

        // raw inputs x = 4 x' - 1 give the reference's outputs y' as 10 + 2 y'
        JsonNode reference = JSON.readTree(reference(resources().resolve("LSTM_model.h5")).toFile());
        ArrayNode raw = JSON.createArrayNode();
        for (JsonNode input : reference.path("inputs")) {
            ArrayNode rows = raw.addArray();
            for (JsonNode step : input) {
                ArrayNode row = rows.addArray();
                step.forEach(v -> row.add(4 * v.asDouble() - 1));
            }
        }
        Path inputs = Files.writeString(dir.resolve("raw.json"), raw.toString());
        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--inputs", inputs.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        List<String> lines = predict.out().strip().lines().toList();
        assertEquals(reference.path("outputs").size(), lines.size());
        for (int k = 0; k < lines.size(); k++) {
            double expected = 10 + 2 * reference.path("outputs").get(k).get(0).asDouble();
            Golden.assertClose(new double[] {expected}, new double[] {Double.parseDouble(lines.get(k))}, 1e-6, 1e-12,
                    "scaled output " + k);
        }

        Path wrongCount = Files.writeString(dir.resolve("two.json"),
                "{\"features\": [{\"kind\": \"none\"}, {\"kind\": \"none\"}]}");
        CliRun.of("import", resources().resolve("LSTM_model.h5").toString(), "--out",
                dir.resolve("x.json").toString(), "--scaling", wrongCount.toString())
                        .assertUserError("scaling.features: 2 entries",
                "13 features");
        Path badKind = Files.writeString(dir.resolve("bad.json"), "{\"features\": [{\"kind\": \"robust\"}]}");
        CliRun.of("import", resources().resolve("made-by-keras/lstm-hard-sigmoid.keras")
                .toString(), "--out", dir.resolve("x.json").toString(), "--scaling", badKind.toString())
                        .assertUserError("--scaling", "scaling.features[0].kind: unknown 'robust'");
    }

    @Test
    void theImportSaysWhetherTheStreamCanServeTheModel() throws URISyntaxException {
        Path out = dir.resolve("seed.json");
        CliRun seedShape = CliRun.of("import", resources().resolve("made-by-keras/seed-shape-tanh.keras")
                .toString(), "--out", out.toString());
        assertEquals(0, seedShape.exitCode(), seedShape.err());
        assertTrue(seedShape.out().contains("the stream can serve it: window length 3"), seedShape.out());
        CliRun wide = CliRun.of("import", resources().resolve("LSTM_model.h5").toString(), "--out",
                out.toString());
        assertTrue(wide.out().contains("the stream cannot serve it") && wide.out().contains("13 features per step"),
                wide.out());
    }

    @Test
    void summaryShowsAnImportedModelWithKerasShapesAndParameterCounts() throws URISyntaxException {
        Path model = imported("made-by-keras/stacked-lstm-gru.keras");
        CliRun run = CliRun.of("summary", "--model", model.toString());
        assertEquals(0, run.exitCode(), run.err());
        // LSTM(12, return_sequences) on (8, 2): 4 * (2 + 12 + 1) * 12; GRU(6) reset_after: 3 * (12 + 6 + 2) * 6
        assertTrue(run.out().contains("input shape [8, 2]"), run.out());
        assertTrue(run.out().contains("lstm (LSTM)") && run.out().contains("(None, 8, 12)")
                && run.out().contains("720"),
                run.out());
        assertTrue(run.out().contains("gru (GRU)") && run.out().contains("360"), run.out());
        assertTrue(run.out().contains("dropout (Dropout)"), run.out());
        assertTrue(run.out().contains("Total params: 1113"), run.out());
    }

    @Test
    void predictWithInputsGivesWhatTheWindowGivesForTheSeedModel() throws IOException {
        Path model = dir.resolve("seed-model.json");
        Path csv = Files.writeString(dir.resolve("seed.csv"), "value\n1\n2\n3\n4\n5\n6\n7\n");
        assertEquals(0, CliRun.of("train", "--model", "config/model.json", "--data", csv.toString(),
                "--out", model.toString()).exitCode());
        CliRun window = CliRun.of("predict", "--model", model.toString(), "--window", "5,6,7");
        Path inputs = Files.writeString(dir.resolve("in.json"), "[[[5], [6], [7]], [5, 6, 7]]");
        CliRun run = CliRun.of("predict", "--model", model.toString(), "--inputs", inputs.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of(window.out().strip(), window.out().strip()), run.out().strip().lines().toList());
    }

    @Test
    void mistakesAreOneLineAndExitCodeTwo() throws Exception {
        String out = dir.resolve("m.json").toString();
        CliRun.of("import", resources().resolve("more/refused-flatten.keras").toString(),
                "--out", out).assertUserError("refused-flatten.keras", "layer 'flatten", "(Flatten): not supported");
        CliRun.of("import", resources().resolve("more/refused-go-backwards.keras").toString(),
                "--out", out).assertUserError("go_backwards=True is not supported");
        CliRun.of("import", dir.resolve("missing.h5").toString(), "--out", out)
                .assertUserError("missing.h5", "no such file");
        // a file cut short, a file that is not Keras's, a zip without the model
        byte[] h5 = Files.readAllBytes(resources().resolve("LSTM_model.h5"));
        Path cut = Files.write(dir.resolve("cut.h5"), Arrays.copyOf(h5, 4000));
        CliRun cutRun = CliRun.of("import", cut.toString(), "--out", out);
        cutRun.assertUserError("cut.h5");
        CliRun.of("import", resources().resolve("README.md").toString(), "--out", out)
                .assertUserError("not a Keras model file");
        Path zip = dir.resolve("empty.keras");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("metadata.json"));
            z.write("{\"keras_version\": \"3.15.1\"}".getBytes());
        }
        CliRun.of("import", zip.toString(), "--out", out).assertUserError("without config.json");
        // a TensorFlow.js model.json without the weight file it lists
        Path alone = Files.copy(resources().resolve("tfjs/tfjs-lstm-gru/model.json"), dir.resolve("model.json"));
        CliRun.of("import", alone.toString(), "--out", out).assertUserError("weights.bin",
                "which is not beside it");
        assertFalse(Files.exists(dir.resolve("m.json")), "nothing is written for a refused import");

        Path model = imported("made-by-keras/gru-reset-after.keras");
        Path shortInput = Files.writeString(dir.resolve("short.json"), "[[[1, 2, 3], [1, 2, 3]]]");
        CliRun.of("predict", "--model", model.toString(), "--inputs", shortInput.toString())
                .assertUserError("inputs[0]", "6 rows of 3 numbers");
        Path badNumber = Files.writeString(dir.resolve("nan.json"),
                "[[[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3], [1, \"x\", 3]]]");
        CliRun.of("predict", "--model", model.toString(), "--inputs", badNumber.toString())
                .assertUserError("inputs[0][5][1]", "expected a finite number");
        Path malformed = Files.writeString(dir.resolve("malformed.json"), "[[1, 2");
        CliRun.of("predict", "--model", model.toString(), "--inputs", malformed.toString())
                .assertUserError("malformed JSON");
        CliRun.of("predict", "--model", model.toString(), "--inputs", shortInput.toString(),
                "--window", "1,2,3").assertUserError("mutually exclusive");
    }
}
