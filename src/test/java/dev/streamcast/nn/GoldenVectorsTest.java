package dev.streamcast.nn;

import static dev.streamcast.nn.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed model, computed here, against Keras's numbers for the same starting weights (src/test/resources/golden):
 * forward pass, loss, every gradient and one Adam step, to the tolerances docs/design.md gives ("The network: faithful
 * to Keras"): forward, loss and gradients 1e-6 relative, one Adam step 1e-6 absolute.
 */
@Tag("unit")
class GoldenVectorsTest {

    static Iterable<String> goldenFiles() {
        return Golden.files();
    }

    private static DMatrixRMaj rows(double[][] windows) {
        DMatrixRMaj m = new DMatrixRMaj(windows.length, windows[0].length);
        for (int r = 0; r < windows.length; r++) {
            System.arraycopy(windows[r], 0, m.data, r * windows[0].length, windows[0].length);
        }
        return m;
    }

    private static DMatrixRMaj column(double[] values) {
        return new DMatrixRMaj(values.length, 1, true, values);
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void seedModelHasKerasParameterCounts(String file) {
        Sequential net = Golden.load(file).seedModel();
        assertEquals(480, net.layers().get(0).parameterCount());
        assertEquals(55, net.layers().get(1).parameterCount());
        assertEquals(18, net.layers().get(2).parameterCount());
        assertEquals(4, net.layers().get(3).parameterCount());
        assertEquals(557, net.parameterCount());
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void forwardPassMatchesKeras(String file) {
        Golden golden = Golden.load(file);
        Sequential net = golden.seedModel();
        double[][] windows = Golden.matrix(golden.root.path("forward").path("windows"));
        double[] expected = Golden.values(golden.root.path("forward").path("predictions"));
        DMatrixRMaj out = net.forward(rows(windows));
        assertClose(expected, out.data.clone(), 1e-6, 0, file + " batched predictions");
        for (int k = 0; k < windows.length; k++) {
            assertClose(new double[] {expected[k]}, new double[] {net.predictOne(windows[k])}, 1e-6, 0,
                    file + " prediction for window " + k);
        }
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void lossAndEveryGradientMatchKeras(String file) {
        Golden golden = Golden.load(file);
        Sequential net = golden.seedModel();
        JsonNode batch = golden.root.path("seed_batch");
        DMatrixRMaj x = rows(Golden.matrix(batch.path("x")));
        DMatrixRMaj y = column(Golden.values(batch.path("y")));
        DMatrixRMaj grad = new DMatrixRMaj(1, 1);
        net.zeroGradients();
        double loss = MeanSquaredError.lossAndGradient(net.forward(x), y, grad);
        net.backward(grad);
        assertClose(new double[] {golden.root.path("loss").asDouble()}, new double[] {loss}, 1e-6, 0, file + " loss");
        JsonNode gradients = golden.root.path("gradients");
        for (Parameter p : net.parameters()) {
            assertClose(Golden.values(gradients.path(p.name())), p.gradient().data, 1e-6, 1e-9,
                    file + " gradient of " + p.name());
        }
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void oneAdamStepMatchesKeras(String file) {
        Golden golden = Golden.load(file);
        Sequential net = golden.seedModel();
        JsonNode batch = golden.root.path("seed_batch");
        DMatrixRMaj grad = new DMatrixRMaj(1, 1);
        net.zeroGradients();
        MeanSquaredError.lossAndGradient(net.forward(rows(Golden.matrix(batch.path("x")))),
                column(Golden.values(batch.path("y"))), grad);
        net.backward(grad);
        new Adam(net.parameters(), 0.001).step();
        JsonNode after = golden.root.path("after_one_adam_step");
        for (Parameter p : net.parameters()) {
            assertClose(Golden.values(after.path(p.name())), p.value().data, 0, 1e-6, file + " " + p.name()
                    + " after one Adam step");
        }
    }
}
