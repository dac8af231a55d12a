package dev.streamcast.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class HorizonCalibrationTest {

    @Test
    void withFewErrorsAnywhereIntervalsGrowLikeARandomWalk() {
        HorizonCalibration calibration = new HorizonCalibration(0.9, 4);
        double[] g = calibration.growth(new SensorState(3, 5, 4));
        assertEquals(1, g[1]);
        assertEquals(Math.sqrt(2), g[2], 1e-12);
        assertEquals(2, g[4], 1e-12);
    }

    @Test
    void aSensorsOwnMeanErrorsSetItsGrowthNeverBelowStepOnes() {
        HorizonCalibration calibration = new HorizonCalibration(0.9, 3);
        SensorState sensor = new SensorState(3, 5, 3);
        SensorState other = new SensorState(3, 5, 3);
        for (int k = 0; k < HorizonCalibration.SENSOR_MINIMUM; k++) {
            calibration.add(sensor, 1, 1, 1);
            calibration.add(sensor, 2, 3, 1);
            calibration.add(sensor, 3, 2, 1);
            // Another sensor of the task whose errors do not grow: it moves the pooled quantiles, not this sensor.
            calibration.add(other, 1, 1, 1);
            calibration.add(other, 2, 1, 1);
            calibration.add(other, 3, 1, 1);
        }
        double[] g = calibration.growth(sensor);
        assertEquals(3, g[2], 1e-12);
        assertEquals(2, g[3], 1e-12, "step 3's errors are smaller than step 2's: its own ratio, not step 2's");
        // A sensor whose later steps err less than its first (a forecast drawn back to its level): step 1's width.
        HorizonCalibration another = new HorizonCalibration(0.9, 3);
        SensorState reverting = new SensorState(3, 5, 3);
        for (int k = 0; k < HorizonCalibration.SENSOR_MINIMUM; k++) {
            another.add(reverting, 1, 2, 1);
            another.add(reverting, 2, 1, 1);
            another.add(reverting, 3, 3, 1);
        }
        double[] r = another.growth(reverting);
        assertEquals(1, r[2], 1e-12);
        assertEquals(1.5, r[3], 1e-12);
        double[] young = calibration.growth(new SensorState(3, 5, 3));
        assertEquals(3, young[2], 1e-12, "a young sensor: the pooled 0.9 quantiles of the task, 3 over 1");
    }

    @Test
    void oneSpikeMovesASensorsMeanLittle() {
        StepErrorMeans means = new StepErrorMeans(2);
        for (int k = 0; k < 100; k++) {
            means.add(1, 1);
        }
        means.add(1, 1000);
        assertEquals(1 + 4.0 / 101, means.mean(1), 1e-12, "counted as 5 times the mean, not 1000");
    }
}
