package dev.streamcast.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SequentialTest {

    @Test
    void mismatchedLayerShapesAreRefusedNamingTheLayerAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential(List.of(
                new Lstm("lstm", 10, 3, 1, Activation.RELU, Activation.SIGMOID),
                new Dense("dense1", 8, 1, Activation.LINEAR))));
        assertTrue(e.getMessage().contains("dense1") && e.getMessage().contains("(None, 8)")
                && e.getMessage().contains("(None, 10)"), e.getMessage());
    }

    @Test
    void kerasInitializationIsReproducibleAndFollowsKerasRules() {
        Sequential a = seed();
        Sequential b = seed();
        KerasInitializers.initialize(a, new SplittableRandom(42));
        KerasInitializers.initialize(b, new SplittableRandom(42));
        for (int k = 0; k < a.parameters().size(); k++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.parameters().get(k).value().data,
                    b.parameters().get(k).value().data);
        }
        Lstm lstm = (Lstm) a.layers().get(0);
        // unit_forget_bias: forget gate bias 1, every other bias 0
        for (int j = 0; j < 40; j++) {
            assertEquals(j >= 10 && j < 20 ? 1.0 : 0.0, lstm.bias().value().data[j]);
        }
        // glorot_uniform bound sqrt(6 / (1 + 40))
        double limit = Math.sqrt(6.0 / 41);
        for (double w : lstm.kernel().value().data) {
            assertTrue(Math.abs(w) <= limit);
        }
        // orthogonal recurrent kernel [10, 40]: its rows are orthonormal, R R^T = I
        double[] r = lstm.recurrentKernel().value().data;
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                double dot = 0;
                for (int c = 0; c < 40; c++) {
                    dot += r[i * 40 + c] * r[j * 40 + c];
                }
                assertEquals(i == j ? 1.0 : 0.0, dot, 1e-12);
            }
        }
    }

    @Test
    void aCopyHasTheSameWeightsAndItsOwnBuffers() {
        Sequential a = seed();
        KerasInitializers.initialize(a, new SplittableRandom(1));
        Sequential b = a.copy();
        double[] window = {1, 2, 3};
        assertEquals(a.predictOne(window), b.predictOne(window));
        b.parameters().get(b.parameters().size() - 1).value().data[0] += 1;
        assertTrue(a.predictOne(window) != b.predictOne(window));
    }

    private static Sequential seed() {
        return new Sequential(List.of(new Lstm("lstm", 10, 3, 1, Activation.RELU, Activation.SIGMOID),
                new Dense("dense1", 10, 5, Activation.LINEAR), new Dense("dense2", 5, 3, Activation.LINEAR),
                new Dense("dense3", 3, 1, Activation.LINEAR)));
    }
}
