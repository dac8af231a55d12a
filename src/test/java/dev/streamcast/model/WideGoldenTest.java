package dev.streamcast.model;

import static dev.streamcast.nn.Golden.assertClose;
import static dev.streamcast.nn.Golden.assertCloseAsTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.nn.Adam;
import dev.streamcast.nn.Golden;
import dev.streamcast.nn.MeanSquaredError;
import dev.streamcast.nn.Parameter;
import dev.streamcast.nn.Sequential;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keras semantics for steps that carry more than one value: the seed's layers on input shape (3, 4), against Keras
 * 3.15.1's own numbers (src/test/resources/golden/golden-wide-5.json relu, -6 tanh; ../shared/tools/keras/
 * golden_wide.py made them). The seed's tolerances (docs/design.md): forward, loss and gradients 1e-6 relative, one
 * Adam step 1e-6 absolute, the 160-step fit 1e-4 relative on the weights and 1e-3 absolute on the predictions.
 */
@Tag("unit")
class WideGoldenTest {

    static Iterable<String> wideFiles() {
        return Golden.wideFiles();
    }

    /** Rows of T steps of F values each, flattened time-major: the layers' input layout. */
    private static DMatrixRMaj rows(JsonNode windows) {
        int steps = windows.get(0).size();
        int features = windows.get(0).get(0).size();
        DMatrixRMaj m = new DMatrixRMaj(windows.size(), steps * features);
        for (int r = 0; r < windows.size(); r++) {
            for (int t = 0; t < steps; t++) {
                for (int f = 0; f < features; f++) {
                    m.set(r, t * features + f, windows.get(r).get(t).get(f).asDouble());
                }
            }
        }
        return m;
    }

    private static DMatrixRMaj column(double[] values) {
        return new DMatrixRMaj(values.length, 1, true, values);
    }

    /** Keras 3's Adam at its defaults, as golden_wide.py trained with. */
    private static Adam keras3Adam(Sequential net) {
        return new Adam(net.parameters(), Adam.DEFAULT_LEARNING_RATE, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2,
                Adam.DEFAULT_EPSILON, 0.0, Adam.Form.KERAS3);
    }

    @ParameterizedTest
    @MethodSource("wideFiles")
    void forwardPassMatchesKeras(String file) {
        Golden golden = Golden.load(file);
        Sequential net = golden.seedModel();
        assertEquals(600, net.layers().get(0).parameterCount());
        assertEquals(12, net.inputSize());
        DMatrixRMaj windows = rows(golden.root.path("forward").path("windows"));
        double[] expected = Golden.values(golden.root.path("forward").path("predictions"));
        assertClose(expected, net.forward(windows).data.clone(), 1e-6, 0, file + " batched predictions");
        for (int k = 0; k < windows.numRows; k++) {
            double[] row = new double[windows.numCols];
            System.arraycopy(windows.data, k * windows.numCols, row, 0, row.length);
            assertClose(new double[] {expected[k]}, new double[] {net.predictOne(row)}, 1e-6, 0,
                    file + " prediction for window " + k);
        }
    }

    @ParameterizedTest
    @MethodSource("wideFiles")
    void lossEveryGradientAndOneAdamStepMatchKeras(String file) {
        Golden golden = Golden.load(file);
        Sequential net = golden.seedModel();
        JsonNode batch = golden.root.path("batch");
        DMatrixRMaj grad = new DMatrixRMaj(1, 1);
        net.zeroGradients();
        double loss = MeanSquaredError.lossAndGradient(net.forward(rows(batch.path("x"))),
                column(Golden.values(batch.path("y"))), grad);
        net.backward(grad);
        assertClose(new double[] {golden.root.path("loss").asDouble()}, new double[] {loss}, 1e-6, 0, file + " loss");
        for (Parameter p : net.parameters()) {
            assertClose(Golden.values(golden.root.path("gradients").path(p.name())), p.gradient().data, 1e-6, 1e-9,
                    file + " gradient of " + p.name());
        }
        keras3Adam(net).step();
        for (Parameter p : net.parameters()) {
            assertClose(Golden.values(golden.root.path("after_one_adam_step").path(p.name())), p.value().data, 0, 1e-6,
                    file + " " + p.name() + " after one Adam step");
        }
    }

    @ParameterizedTest
    @MethodSource("wideFiles")
    void fitOf160StepsEndsWhereKerasEnds(String file) {
        Golden golden = Golden.load(file);
        Sequential net = golden.seedModel();
        JsonNode batch = golden.root.path("batch");
        DMatrixRMaj x = rows(batch.path("x"));
        double[] y = Golden.values(batch.path("y"));
        // Keras's fit(x, y, epochs=20, batch_size=1, shuffle=False): one Keras 3 Adam step per sample, in order; the
        // epoch's loss is the mean of the samples' losses before their steps
        Adam adam = keras3Adam(net);
        DMatrixRMaj row = new DMatrixRMaj(1, x.numCols);
        DMatrixRMaj target = new DMatrixRMaj(1, 1);
        DMatrixRMaj grad = new DMatrixRMaj(1, 1);
        double[] losses = new double[20];
        for (int epoch = 0; epoch < 20; epoch++) {
            for (int r = 0; r < x.numRows; r++) {
                System.arraycopy(x.data, r * x.numCols, row.data, 0, x.numCols);
                target.data[0] = y[r];
                net.zeroGradients();
                losses[epoch] += MeanSquaredError.lossAndGradient(net.forward(row), target, grad) / x.numRows;
                net.backward(grad);
                adam.step();
            }
        }
        JsonNode fit = golden.root.path("fit_20_epochs_batch_1");
        assertClose(Golden.values(fit.path("loss_history")), losses, 1e-3, 0, file + " loss history");
        for (Parameter p : net.parameters()) {
            assertCloseAsTensor(Golden.values(fit.path("weights").path(p.name())), p.value().data, 1e-4,
                    file + " " + p.name() + " after the fit");
        }
        assertClose(Golden.values(fit.path("predictions")),
                net.forward(rows(golden.root.path("forward").path("windows"))).data.clone(), 0, 1e-3,
                file + " predictions after the fit");
    }
}
