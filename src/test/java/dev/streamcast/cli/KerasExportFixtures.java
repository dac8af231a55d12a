package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.Predictor;
import dev.streamcast.nn.Golden;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/**
 * The models {@link KerasExportTest} and {@link KerasExportReadersTest} export, by name: every Keras file of
 * src/test/resources/keras (imported) and models as the stream makes them (Keras's initialisation, weights that are
 * not float32), each with inputs shaped as its input; and the helpers both use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KerasExportFixtures {


    static final ObjectMapper JSON = new ObjectMapper();
    static final Path NODE_MODULES = Path.of("src/test/node/node_modules");
    private static final Path DEFAULT_VENV_PYTHON = Path.of(System.getProperty("user.home"),
            ".cache/streamcast/keras-venv/bin/python");
    static final String KERAS_INSTALL = "python3 -m venv V && V/bin/pip install --no-index --find-links DIR "
            + "keras jax jaxlib h5py (DIR: the folder of keras-3*.whl), then set KERAS_PYTHON=V/bin/python "
            + "(.ci/run does this where the wheel folder exists)";

    @TempDir
    Path dir;

    /** The models exported, by name: a trained model document and inputs shaped as its input. */
    final Map<String, Path> models = new LinkedHashMap<>();
    final Map<String, ArrayNode> inputs = new LinkedHashMap<>();

    @BeforeAll
    void models(@TempDir Path work) throws Exception {
        Path resources = KerasCommandsTest.resources();
        for (String file : KerasCommandsTest.kerasFiles()) {
            if (!file.endsWith(".keras") && !file.endsWith("model.json")) {
                continue;  // a .h5 holds the same model as its .keras
            }
            Path source = resources.resolve(file);
            String name = file.replace('/', '_');
            Path doc = work.resolve(name + ".json");
            CliRun run = CliRun.of("import", source.toString(), "--out", doc.toString());
            assertEquals(0, run.exitCode(), run.err());
            models.put(name, doc);
            Path reference = file.endsWith("model.json") ? source.resolveSibling("reference.json")
                    : source.resolveSibling(source.getFileName().toString().replace(".keras", ".reference.json"));
            inputs.put(name, (ArrayNode) JSON.readTree(reference.toFile()).path("inputs"));
        }
        // as the stream makes them: the default architecture and others, initialised as Keras initialises, in doubles
        streamModel(work, "stream-default", Files.readString(Path.of("config/model.json")));
        streamModel(work, "stream-gru-keras2-hard-sigmoid", """
                {"format": "streamcast-model/1", "modelId": "gru", "windowLength": 6, "scaling": {"kind": "sensor"},
                 "layers": [
                   {"type": "gru", "units": 5, "activation": "tanh", "recurrentActivation": "hard_sigmoid",
                    "inputShape": [6, 1], "resetAfter": false, "returnSequences": true},
                   {"type": "simple_rnn", "units": 4, "activation": "softsign"},
                   {"type": "dropout", "rate": 0.2},
                   {"type": "dense", "units": 1, "activation": "linear"}]}
                """);
        streamModel(work, "stream-dense-window", """
                {"format": "streamcast-model/1", "modelId": "mlp", "windowLength": 4,
                 "scaling": {"kind": "standard", "mean": 12.5, "std": 3.0},
                 "layers": [
                   {"type": "dense", "units": 6, "activation": "swish", "inputShape": [4]},
                   {"type": "dense", "units": 3, "activation": "gelu"},
                   {"type": "dense", "units": 1, "activation": "linear"}]}
                """);
    }

    /** An architecture with Keras's initialisation from a fixed seed, written as the stream writes its models. */
    private void streamModel(Path work, String name, String architecture) throws IOException {
        Forecaster forecaster = ModelCodec.toForecaster(ModelCodec.parse(architecture), 42);
        Path doc = work.resolve(name + ".json");
        Files.write(doc, ModelCodec.write(ModelCodec.toDocument(forecaster)));
        models.put(name, doc);
        SplittableRandom random = new SplittableRandom(7);
        int[] shape = ModelCodec.toPredictor(ModelCodec.toDocument(forecaster)).inputShape();
        ArrayNode list = JSON.createArrayNode();
        for (int k = 0; k < 5; k++) {
            ArrayNode input = list.addArray();
            for (int t = 0; t < shape[0]; t++) {
                double value = 10 + 5 * random.nextDouble();
                if (shape.length == 2) {
                    input.addArray().add(value);
                } else {
                    input.add(value);
                }
            }
        }
        inputs.put(name, list);
    }

    /**
     * Exports a model; null when the format cannot hold it, after checking that the refusal is one line saying why
     * and which format can (Keras 3 has no hard_sigmoid of slope 0.2; TF.js none of slope 1/6, and no GRU with
     * resetAfter).
     */
    Path export(String name, String format) throws IOException {
        Path out = dir.resolve(name + "-" + format + (format.equals("keras") ? ".keras" : ""));
        CliRun run = CliRun.of("export", models.get(name).toString(), "--format", format, "--out",
                out.toString());
        ModelDocument doc = ModelFiles.readDocument(models.get(name));
        boolean keras2HardSigmoid = doc.layers().stream().anyMatch(l -> "hard_sigmoid".equals(l.activation())
                || "hard_sigmoid".equals(l.recurrentActivation()));
        boolean keras3HardSigmoid = doc.layers().stream().anyMatch(l -> "hard_sigmoid_keras3".equals(l.activation())
                || "hard_sigmoid_keras3".equals(l.recurrentActivation()));
        boolean resetAfter = doc.layers().stream().anyMatch(l -> "gru".equals(l.type())
                && !Boolean.FALSE.equals(l.resetAfter()));
        if (format.equals("keras") && keras2HardSigmoid) {
            assertUserError(run, "hard_sigmoid is Keras 2's", "--format tfjs");
            return null;
        }
        if (format.equals("tfjs") && (resetAfter || keras3HardSigmoid)) {
            assertUserError(run, resetAfter ? "resetAfter" : "hard_sigmoid_keras3", "--format keras");
            return null;
        }
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("-> " + out), run.out());
        return out;
    }

    /** The other program's outputs against the network's own on the same inputs (the network sees them unscaled). */
    void assertPredictsAsStreamcast(String name, JsonNode outputs, double relative, String program)
            throws IOException {
        ModelDocument doc = ModelFiles.readDocument(models.get(name));
        Predictor network = ModelCodec.toPredictor(new ModelDocument(doc.format(), doc.modelId(), doc.version(),
                doc.createdAt(), null, new ModelDocument.ScalingSpec("none", null, null, null), doc.layers(),
                doc.training()));
        ArrayNode in = inputs.get(name);
        assertEquals(in.size(), outputs.size(), name);
        for (int k = 0; k < in.size(); k++) {
            double[] expected = network.predict(flat(in.get(k)));
            double[] actual = flat(outputs.get(k));
            Golden.assertClose(expected, actual, relative, 1e-12, program + " on the export of " + name + ", input "
                    + k);
        }
    }

    static double[] flat(JsonNode node) {
        List<Double> values = new ArrayList<>();
        collect(node, values);
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(JsonNode node, List<Double> values) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, values));
        } else {
            values.add(node.asDouble());
        }
    }

    static void assertUserError(CliRun run, String... fragments) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        for (String f : fragments) {
            assertTrue(run.err().contains(f), () -> "'" + f + "' not in: " + run.err());
        }
        assertFalse(run.err().contains("\tat "), run.err());
    }

    /**
     * The Python with Keras 3: the system property streamcast.keras.python, KERAS_PYTHON, or the venv
     * .ci/run makes; null where there is none. One that is named but is not there fails.
     */
    static Path kerasPython() {
        String named = System.getProperty("streamcast.keras.python", System.getenv("KERAS_PYTHON"));
        if (named != null && !named.isBlank()) {
            assertTrue(Files.isExecutable(Path.of(named)), named + " (KERAS_PYTHON) is not an executable");
            return Path.of(named);
        }
        return Files.isExecutable(DEFAULT_VENV_PYTHON) ? DEFAULT_VENV_PYTHON : null;
    }

    static String script(String name) throws URISyntaxException {
        return KerasCommandsTest.resources().resolve("export").resolve(name).toString();
    }

    String write(ArrayNode cases) throws IOException {
        Path file = Files.createTempFile(dir, "cases", ".json");
        JSON.writeValue(file.toFile(), cases);
        return file.toString();
    }

    /** Runs a program and reads the JSON array it prints (its one line that starts with '['). */
    JsonNode runJson(List<String> command, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile(dir, "program", ".out");
        Path err = Files.createTempFile(dir, "program", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(log.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(command + " did not end in 300 s");
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> command + " failed:\n" + out + readQuietly(err));
        String line = out.lines().filter(l -> l.startsWith("[")).findFirst()
                .orElseThrow(() -> new AssertionError(command + " printed no JSON array:\n" + out));
        return JSON.readTree(line);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
