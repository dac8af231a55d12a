package dev.streamcast.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sigmoid and tanh evaluate their exponential themselves (so the JIT can vectorise them) rather than calling
 * Math.exp and Math.tanh: they must agree with those to a few ulps everywhere, keep the limits, and give the same
 * numbers over an array as one value at a time.
 */
@Tag("unit")
class ActivationAccuracyTest {

    private static double reference(Activation activation, double z) {
        return activation == Activation.SIGMOID ? 1.0 / (1.0 + Math.exp(-z)) : Math.tanh(z);
    }

    private static double randomInput(SplittableRandom random, int k) {
        switch (k % 4) {
            case 0:
                return random.nextDouble(-40, 40);
            case 1:
                return random.nextDouble(-800, 800);
            case 2:
                return random.nextDouble(-1, 1) * Math.pow(10, -random.nextInt(1, 30));
            default:
                return random.nextDouble(-3, 3);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"SIGMOID", "TANH"})
    void agreesWithTheJdkToAFewUlps(Activation activation) {
        SplittableRandom random = new SplittableRandom(1);
        for (int k = 0; k < 400_000; k++) {
            double z = randomInput(random, k);
            double expected = reference(activation, z);
            double actual = activation.apply(z);
            assertTrue(Math.abs(actual - expected) <= 4 * Math.ulp(expected),
                    () -> activation + "(" + z + ") = " + actual + ", the JDK gives " + expected);
        }
    }

    @Test
    void sigmoidKeepsItsLimitsAndPropagatesNaN() {
        assertEquals(0.5, Activation.SIGMOID.apply(0.0));
        assertEquals(1.0, Activation.SIGMOID.apply(40.0));
        assertEquals(1.0, Activation.SIGMOID.apply(Double.POSITIVE_INFINITY));
        assertEquals(0.0, Activation.SIGMOID.apply(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, Activation.SIGMOID.apply(-1e6));
        assertTrue(Double.isNaN(Activation.SIGMOID.apply(Double.NaN)));
    }

    @Test
    void tanhKeepsItsLimitsSignsOfZeroAndPropagatesNaN() {
        assertEquals(0.0, Activation.TANH.apply(0.0));
        assertEquals(-0.0, Activation.TANH.apply(-0.0));
        assertEquals(Double.MIN_VALUE, Activation.TANH.apply(Double.MIN_VALUE));
        assertEquals(1.0, Activation.TANH.apply(20.0));
        assertEquals(-1.0, Activation.TANH.apply(-400.0));
        assertEquals(1.0, Activation.TANH.apply(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Activation.TANH.apply(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Activation.TANH.apply(Double.NaN)));
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void anArrayGetsTheNumbersOfOneValueAtATime(Activation activation) {
        SplittableRandom random = new SplittableRandom(2);
        double[] z = new double[1031];
        for (int k = 0; k < z.length; k++) {
            z[k] = randomInput(random, k);
        }
        double[] special = {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 708.0, -708.0, 709.0,
            354.0, -354.5, 0.0, -0.0, Double.MIN_VALUE};
        System.arraycopy(special, 0, z, 5, special.length);
        DoubleUnaryOperator one = activation::apply;
        // the same offsets in distinct arrays (the vectorised passes)
        double[] y = new double[z.length + 3];
        double[] shifted = new double[z.length + 3];
        System.arraycopy(z, 0, shifted, 3, z.length);
        activation.apply(shifted, 3, y, 3, z.length);
        // different offsets, and in place
        double[] y2 = new double[z.length + 5];
        activation.apply(z, 0, y2, 5, z.length);
        double[] same = z.clone();
        activation.apply(same, 0, same, 0, same.length);
        for (int k = 0; k < z.length; k++) {
            long expected = Double.doubleToLongBits(one.applyAsDouble(z[k]));
            assertEquals(expected, Double.doubleToLongBits(y[k + 3]), activation + " of z[" + k + "] = " + z[k]);
            assertEquals(expected, Double.doubleToLongBits(y2[k + 5]), activation + ", other offset, z[" + k + "]");
            assertEquals(expected, Double.doubleToLongBits(same[k]), activation + ", in place, z[" + k + "]");
        }
    }
}
