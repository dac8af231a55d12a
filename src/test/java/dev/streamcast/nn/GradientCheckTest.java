package dev.streamcast.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every gradient the backward passes compute, against central finite differences of the loss:
 * dL/dw ~ (L(w + h) - L(w - h)) / 2h, for each layer type and each activation it supports.
 */
@Tag("unit")
class GradientCheckTest {

    private static final double H = 1e-6;

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom random) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            m.data[k] = random.nextDouble(-1.5, 1.5);
        }
        return m;
    }

    private static double loss(Sequential net, DMatrixRMaj x, DMatrixRMaj y) {
        return MeanSquaredError.loss(net.forward(x), y);
    }

    /** Checks every weight and the input gradient of {@code net} on a random batch. */
    private static void check(Sequential net, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        KerasInitializers.initialize(net, random);
        // random biases too, so no gate sits exactly at a kink (a GRU's with reset_after has two rows)
        for (Parameter p : net.parameters()) {
            if (p.isVector()) {
                for (int k = 0; k < p.size(); k++) {
                    p.value().data[k] = random.nextDouble(-0.5, 0.5);
                }
            }
        }
        DMatrixRMaj x = random(4, net.inputSize(), random);
        DMatrixRMaj y = random(4, net.outputSize(), random);
        DMatrixRMaj grad = new DMatrixRMaj(1, 1);
        net.zeroGradients();
        MeanSquaredError.lossAndGradient(net.forward(x), y, grad);
        net.backward(grad);
        List<String> failures = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            double[] w = p.value().data;
            for (int k = 0; k < p.size(); k++) {
                double saved = w[k];
                w[k] = saved + H;
                double plus = loss(net, x, y);
                w[k] = saved - H;
                double minus = loss(net, x, y);
                w[k] = saved;
                double numeric = (plus - minus) / (2 * H);
                double analytic = p.gradient().data[k];
                if (Math.abs(numeric - analytic) > 1e-5 * Math.max(1.0, Math.abs(numeric))) {
                    failures.add(p.name() + "[" + k + "]: analytic " + analytic + ", numeric " + numeric);
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " gradients differ, first: " + failures.get(0));
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void lstmGradientsMatchFiniteDifferencesForEachActivation(Activation activation) {
        for (Activation recurrent : List.of(Activation.SIGMOID, Activation.HARD_SIGMOID)) {
            check(new Sequential(List.of(new Lstm("lstm", 4, 3, 2, activation, recurrent),
                    new Dense("dense1", 4, 1, Activation.LINEAR))), 7);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void denseGradientsMatchFiniteDifferencesForEachActivation(Activation activation) {
        check(new Sequential(List.of(new Lstm("lstm", 3, 2, 1, Activation.TANH, Activation.SIGMOID),
                new Dense("dense1", 3, 4, activation), new Dense("dense2", 4, 2, activation))), 11);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gruGradientsMatchFiniteDifferencesForEachActivationAndResetMode(Activation activation) {
        for (boolean resetAfter : new boolean[] {true, false}) {
            for (Activation recurrent : List.of(Activation.SIGMOID, Activation.HARD_SIGMOID_KERAS3)) {
                check(new Sequential(List.of(new Gru("gru", 4, 3, 2, activation, recurrent, resetAfter, false),
                        new Dense("dense1", 4, 1, Activation.LINEAR))), 13);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void simpleRnnGradientsMatchFiniteDifferencesForEachActivation(Activation activation) {
        check(new Sequential(List.of(new SimpleRnn("simple_rnn", 4, 3, 2, activation, false),
                new Dense("dense1", 4, 1, Activation.LINEAR))), 17);
    }

    /** Every recurrent layer returning its sequence into the next, with a Dropout between: Keras's stacking. */
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "RELU", "SELU"})
    void stackedRecurrentLayersReturningSequencesHaveExactGradients(Activation activation) {
        check(new Sequential(List.of(
                new Lstm("lstm", 3, 4, 2, activation, Activation.SIGMOID, true),
                new Gru("gru", 3, 4, 3, activation, Activation.SIGMOID, true, true),
                new Dropout("dropout", 12, 0.2),
                new Gru("gru2", 2, 4, 3, activation, Activation.HARD_SIGMOID, false, true),
                new SimpleRnn("simple_rnn", 3, 4, 2, activation, false),
                new Dense("dense1", 3, 2, activation))), 19);
    }
}
