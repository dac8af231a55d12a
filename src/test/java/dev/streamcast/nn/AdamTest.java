package dev.streamcast.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AdamTest {

    /**
     * A weight whose gradient turns zero (a dead relu unit) must not leave its moments subnormal: they would stick
     * there (0.9 times the smallest subnormal rounds back to it) and slow every later step several times.
     */
    @Test
    void momentsOfAGradientThatTurnsZeroDecayToZeroNotToSubnormals() {
        Parameter p = Parameter.of("dense.kernel", 1, 1);
        Adam adam = new Adam(List.of(p), 0.001);
        p.gradient().data[0] = -1.0;  // m < 0: the flush must look at |m|
        adam.step();
        p.gradient().data[0] = 0.0;
        // v = 0.999^t * 0.001 falls below 2^-1022 after about 700,000 steps, m = 0.9^t * 0.1 after about 6,700
        for (int t = 0; t < 800_000; t++) {
            adam.step();
        }
        assertEquals(0.0, adam.firstMoment(0, 0));
        assertEquals(0.0, adam.secondMoment(0, 0));
    }

    @Test
    void momentsAboveTheSubnormalRangeAreKept() {
        Parameter p = Parameter.of("dense.kernel", 1, 1);
        Adam adam = new Adam(List.of(p), 0.001);
        p.gradient().data[0] = 1e-150;  // g^2 = 1e-300, normal
        adam.step();
        assertEquals(0.1 * 1e-150, adam.firstMoment(0, 0), 1e-165);
        assertEquals(0.001 * 1e-300, adam.secondMoment(0, 0), 1e-315);
    }

    @Test
    void hugeMomentsAreKept() {
        Parameter p = Parameter.of("dense.kernel", 1, 1);
        Adam adam = new Adam(List.of(p), 0.001);
        p.gradient().data[0] = -1e150;  // |m| 2^1022 overflows to infinity
        adam.step();
        assertEquals(0.1 * -1e150, adam.firstMoment(0, 0), 1e135);
        assertEquals(0.001 * 1e300, adam.secondMoment(0, 0), 1e285);
    }
}
