package dev.streamcast.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;


/**
 * The exports of {@link KerasExportFixtures} read by the programs they are for: Keras 3 loads each {@code .keras} file
 * ({@code keras.saving.load_model}, keras/export/keras_predict.py) and, run in float64, predicts what Streamcast
 * predicts to 1e-6 relative (its float32 predict, what a notebook runs, to 1e-5); TF.js loads each layers model it
 * can hold ({@code tf.loadLayersModel}, src/test/node/tfjs_predict.js) and predicts the same to 1e-5 (float32). Keras
 * runs from a Python with Keras 3 and JAX (the system property {@code streamcast.keras.python},
 * {@code KERAS_PYTHON}, or the venv .ci/run makes where the machine's wheel directory exists); TF.js from
 * {@code npm ci --prefix src/test/node}. Without Keras its test is skipped, saying what to install; without TF.js
 * too, except in CI, where it fails. In the broker tier for its time (a minute or two: JAX compiles every model
 * twice), not for a broker: it starts none.
 */
@Tag("broker")
class KerasExportReadersTest extends KerasExportFixtures {

    @Test
    void kerasLoadsEveryExportAndPredictsAsStreamcast() throws Exception {
        Path python = kerasPython();
        assumeTrue(python != null, "Keras 3 is not installed, so keras.saving.load_model is not run on the exports; "
                + "to run it: " + KERAS_INSTALL);
        ArrayNode cases = JSON.createArrayNode();
        List<String> exported = new ArrayList<>();
        for (String name : models.keySet()) {
            Path out = export(name, "keras");
            if (out != null) {
                cases.addObject().put("model", out.toString()).set("inputs", inputs.get(name));
                exported.add(name);
            }
        }
        JsonNode results = runJson(List.of(python.toString(), script("keras_predict.py"), write(cases)),
                Map.of("KERAS_BACKEND", "jax"));
        for (int k = 0; k < exported.size(); k++) {
            // Keras in float64 computes what Streamcast computes; its float32 predict, what a notebook runs, differs
            // by float32's rounding (a deep stack of saturating activations moves it by 1e-6 relative)
            assertPredictsAsStreamcast(exported.get(k), results.get(k).path("float64"), 1e-6, "Keras 3 (float64)");
            assertPredictsAsStreamcast(exported.get(k), results.get(k).path("float32"), 1e-5, "Keras 3 (float32)");
        }
    }

    @Test
    void tfjsLoadsEveryExportItCanHoldAndPredictsAsStreamcast() throws Exception {
        Path node = ThirdPartyClientsTest.onPath("node");
        ThirdPartyClientsTest.require(node != null
                && Files.isRegularFile(NODE_MODULES.resolve("@tensorflow/tfjs/package.json")), "TensorFlow.js",
                "apt-get install nodejs npm; npm ci --prefix src/test/node");
        ArrayNode cases = JSON.createArrayNode();
        List<String> exported = new ArrayList<>();
        for (String name : models.keySet()) {
            Path out = export(name, "tfjs");
            if (out != null) {
                cases.addObject().put("model", out.toString()).set("inputs", inputs.get(name));
                exported.add(name);
            }
        }
        JsonNode results = runJson(List.of(node.toString(), Path.of("src/test/node/tfjs_predict.js").toAbsolutePath()
                .toString(), write(cases)), Map.of());
        for (int k = 0; k < exported.size(); k++) {
            assertPredictsAsStreamcast(exported.get(k), results.get(k), 1e-5, "TF.js (float32)");
        }
    }

}
