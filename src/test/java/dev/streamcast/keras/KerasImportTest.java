package dev.streamcast.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import dev.streamcast.model.Predictor;
import dev.streamcast.nn.Golden;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files saved by Keras itself (src/test/resources/keras, see its README.md; more/ holds further models made by
 * Keras 3.15.1 with more/make_more_fixtures.py, tfjs/ TensorFlow.js 4.22 layers models made with
 * tfjs/make_tfjs_fixtures.js), imported and run: each reproduces the outputs in its
 * {@code *.reference.json} to 1e-6 relative, after a round trip through the model document's JSON. Models import does
 * not support are refused in one sentence naming the layer or option.
 */
@Tag("unit")
class KerasImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path resources() throws URISyntaxException {
        return Path.of(KerasImportTest.class.getResource("/keras/README.md").toURI()).getParent();
    }

    /** Every Keras file with its reference: the three real files, and both forms of each made-by-keras model. */
    static List<String> kerasFiles() throws IOException, URISyntaxException {
        List<String> files = new ArrayList<>();
        Path root = resources();
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted().toList()) {
                String name = p.getFileName().toString();
                if ((name.endsWith(".keras") || name.endsWith(".h5") || name.equals("model.json"))
                        && !name.startsWith("refused-")) {
                    files.add(root.relativize(p).toString());
                }
            }
        }
        return files;
    }

    static Path reference(Path kerasFile) {
        String name = kerasFile.getFileName().toString();
        if (name.equals("model.json")) {  // a TensorFlow.js model's folder
            return kerasFile.resolveSibling("reference.json");
        }
        return kerasFile.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".reference.json");
    }

    /** The model input as a flat row, time-major: [[a, b], [c, d]] is [a, b, c, d]. */
    static double[] flat(JsonNode input) {
        List<Double> values = new ArrayList<>();
        for (JsonNode row : input) {
            if (row.isArray()) {
                row.forEach(v -> values.add(v.asDouble()));
            } else {
                values.add(row.asDouble());
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void everyFileOfTheSharedSetIsHere() throws IOException, URISyntaxException {
        List<String> files = kerasFiles();
        assertEquals(17, files.stream().filter(f -> !f.startsWith("more") && !f.startsWith("tfjs")).count(),
                files.toString());
        assertEquals(14, files.stream().filter(f -> f.startsWith("more")).count(), files.toString());
        assertEquals(2, files.stream().filter(f -> f.startsWith("tfjs")).count(), files.toString());
    }

    @ParameterizedTest
    @CsvSource({
        "refused-bidirectional.keras, layer 'bidirectional' (Bidirectional): not supported",
        "refused-go-backwards.keras, (LSTM): go_backwards=True is not supported",
        "refused-flatten.keras, (Flatten): not supported",
        "refused-masking.keras, (Masking): not supported",
        "refused-functional-branch.keras, only Functional models that are one chain of layers are imported"})
    void unsupportedLayersAndOptionsAreRefusedNamingThem(String file, String fragment) throws URISyntaxException {
        Path path = resources().resolve("more").resolve(file);
        String message = assertThrows(ModelFormatException.class, () -> KerasImporter.importFile(path, "m", null))
                .getMessage();
        assertTrue(message.contains(fragment), message);
        assertEquals(1, message.lines().count(), message);
    }

    @ParameterizedTest
    @MethodSource("kerasFiles")
    void importedModelReproducesKerasOutputs(String file) throws IOException, URISyntaxException {
        Path path = resources().resolve(file);
        JsonNode reference = JSON.readTree(reference(path).toFile());
        ModelDocument doc = KerasImporter.importFile(path, "imported", null);
        assertEquals(reference.path("keras_version").asText(), doc.imported().kerasVersion());
        // the document as written and read back computes the same
        Predictor predictor = ModelCodec.toPredictor(ModelCodec.parse(ModelCodec.write(doc)));
        List<Integer> shape = new ArrayList<>();
        reference.path("input_shape").forEach(n -> shape.add(n.asInt()));
        assertEquals(shape, java.util.Arrays.stream(predictor.inputShape()).boxed().toList(), file + " input shape");
        JsonNode inputs = reference.path("inputs");
        JsonNode outputs = reference.path("outputs");
        assertTrue(inputs.size() >= 6, file);
        for (int k = 0; k < inputs.size(); k++) {
            double[] expected = Golden.values(outputs.get(k));
            double[] actual = predictor.predict(flat(inputs.get(k)));
            Golden.assertClose(expected, actual, 1e-6, 1e-12, file + " output " + k);
        }
    }

    @Test
    void hardSigmoidIsReadAsTheFilesKerasVersionComputesIt() throws IOException, URISyntaxException {
        ModelDocument keras3 = KerasImporter.importFile(resources().resolve("made-by-keras/lstm-hard-sigmoid.keras"),
                "m", null);
        assertEquals("hard_sigmoid_keras3", keras3.layers().get(0).recurrentActivation());
    }

    @Test
    void aTensorFlowJsModelIsReadAsKeras2ComputesHardSigmoid() throws IOException, URISyntaxException {
        ModelDocument doc = KerasImporter.importFile(resources().resolve("tfjs/tfjs-lstm-gru/model.json"), "m", null);
        assertEquals("tfjs", doc.imported().from());
        assertEquals("hard_sigmoid", doc.layers().get(0).recurrentActivation());
        assertEquals(Boolean.FALSE, doc.layers().get(1).resetAfter());
    }

    @Test
    void aFileThatIsNotKerasIsRefusedInOneSentence() throws IOException, URISyntaxException {
        Path readme = resources().resolve("README.md");
        String message = assertThrows(ModelFormatException.class, () -> KerasImporter.importFile(readme, "m", null))
                .getMessage();
        assertTrue(message.contains("not a Keras model file"), message);
    }
}
