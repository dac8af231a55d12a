package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ErrorCalibrationTest {

    @Test
    void theConformalQuantileIsTheCeilingOfLevelTimesNPlusOneSmallest() {
        float[] values = new float[100];
        for (int i = 0; i < 100; i++) {
            values[i] = (i * 37) % 100 + 1; // 1..100, shuffled
        }
        // ceil(0.9 * 101) = 91
        assertEquals(91, ErrorCalibration.conformalQuantile(values.clone(), 100, 0.9));
        // ceil(0.99 * 101) = 100
        assertEquals(100, ErrorCalibration.conformalQuantile(values.clone(), 100, 0.99));
        // a rank past n gives the largest
        assertEquals(10, ErrorCalibration.conformalQuantile(new float[] {3, 10, 1}, 3, 0.9));
    }

    @Test
    void theNormalQuantileInvertsTheCdf() {
        assertEquals(1.6449, NormalDistribution.quantile(0.95), 1e-3);
        assertEquals(0.975, NormalDistribution.cdf(1.96), 1e-4);
        assertEquals(0.5, NormalDistribution.cdf(0), 1e-7);
    }

    @Test
    void theScoreOfAnErrorIsTheShareOfTheSensorsSetBelowIt() {
        ErrorCalibration calibration = new ErrorCalibration(0.9, 0.99);
        SensorState state = new SensorState(3, 0);
        state.append(0, 0);
        state.addStep(1); // step scale 1
        for (int i = 1; i <= 200; i++) {
            calibration.add(state, i / 100.0, false);
        }
        assertEquals(1.0, state.stepScale());
        assertEquals(100 / 201.0, calibration.anomalyScore(state, 1.005), 1e-12);
        assertEquals(200 / 201.0, calibration.anomalyScore(state, 5), 1e-12);
        // ceil(0.9 * 201) = 181st smallest of 0.01..2.00
        assertEquals(1.81, calibration.halfWidth(state), 1e-6);
    }
}
