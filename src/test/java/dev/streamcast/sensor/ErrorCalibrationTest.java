package dev.streamcast.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** A sensor whose window holds {@code value} and whose step scale is {@code step}. */
    private static SensorState sensor(double value, double step) {
        SensorState state = new SensorState(3, 0);
        state.append(0, value);
        state.addStep(step);
        return state;
    }

    /** The errors 0.01, 0.02, .., 2.00 added to the sensor's set (and the pool). */
    private static void addHundredthsUpToTwo(ErrorCalibration calibration, SensorState state) {
        for (int i = 1; i <= 200; i++) {
            calibration.add(state, i / 100.0, false);
        }
    }

    /** An error as the sensor's set keeps it, rounded to its grid (CalibrationErrors). */
    private static double kept(double error) {
        return CalibrationErrors.rounded(error);
    }

    @Test
    void theScoreOfAnErrorIsTheShareOfTheSensorsSetBelowIt() {
        ErrorCalibration calibration = new ErrorCalibration(0.9, 0.99);
        // Step scale 2: the sensor's own set is in its units, not divided by it.
        SensorState state = sensor(0, 2);
        addHundredthsUpToTwo(calibration, state);
        assertEquals(2.0, state.stepScale());
        // The set keeps each error to within 1.5 %, so errors near 1.005 may have been kept on either side of it
        double score = calibration.anomalyScore(state, 1.005);
        assertEquals(100, score * 201, 3, "about half");
        assertEquals(200 / 201.0, calibration.anomalyScore(state, 5), 1e-12);
        // ceil(0.9 * 201) = 181st smallest of 0.01..2.00, as kept (rounding keeps their order)
        assertEquals(kept(1.81), calibration.halfWidth(state), 1e-12);
        assertEquals(1.81, calibration.halfWidth(state), 1.81 * 0.015);
    }

    @Test
    void aYoungSensorTakesThePooledQuantileInItsOwnScale() {
        ErrorCalibration calibration = new ErrorCalibration(0.9, 0.99);
        SensorState old = sensor(0, 2);
        for (int i = 1; i <= 20; i++) {
            calibration.add(old, 2 * i, false); // scaled: 1..20
        }
        SensorState young = sensor(100, 10);
        // ceil(0.9 * 21) = 19th smallest of 1..20, times the young sensor's step scale
        assertEquals(19 * 10.0, calibration.halfWidth(young), 1e-6);
        assertEquals(10 / 21.0, calibration.anomalyScore(young, 105), 1e-12);
    }

    @Test
    void theSetIsStoredInTheSensorsUnits() {
        ErrorCalibration calibration = new ErrorCalibration(0.9, 0.99);
        SensorState state = sensor(0, 4);
        addHundredthsUpToTwo(calibration, state);
        SensorState read = SensorStateCodec.decode(SensorStateCodec.encode(state), 3, 0);
        assertEquals(kept(1.81), calibration.halfWidth(read), 1e-12);
        assertEquals(kept(1.81), new ErrorCalibration(0.9, 0.99).halfWidth(read), 1e-12);
    }

    /** Scores the error at anomaly.level 0.99 and adds it, as the stream does; returns whether it is an anomaly. */
    private static boolean scoreAndAdd(ErrorCalibration calibration, SensorState state, double error) {
        boolean anomalous = calibration.anomalyScore(state, error) >= 0.99;
        calibration.add(state, error, anomalous);
        return anomalous;
    }

    @Test
    void anAnomalyInTheSetsOwnTailEntersAsItIsAndASpikeIsShrunkTowardsSixMedians() {
        ErrorCalibration calibration = new ErrorCalibration(0.9, 0.99);
        SensorState state = sensor(0, 1);
        addHundredthsUpToTwo(calibration, state);
        // 5 is anomalous (above all 200), but below the ceiling max(t, 6 m) = max(2.00, 6 x 1.01): it enters as it is
        calibration.add(state, 5, true);
        assertEquals(199 / 201.0, calibration.anomalyScore(state, kept(5) * 0.999), 1e-12);
        assertEquals(200 / 201.0, calibration.anomalyScore(state, kept(5) * 1.001), 1e-12);
        // now 0.02..2.00 and 5: t = 2.00, m = 1.02 (the 101st smallest), c = 6.12, all as kept; 100 enters as
        // c + 0.2 (100 - c)
        calibration.add(state, 100, true);
        double ceiling = Math.max(kept(2.00), 6 * kept(1.02));
        double entered = kept(ceiling + 0.2 * (100 - ceiling));
        assertEquals(entered, 6.12 + 0.2 * (100 - 6.12), entered * 0.03);
        assertEquals(199 / 201.0, calibration.anomalyScore(state, entered * 0.999), 1e-12);
        assertEquals(200 / 201.0, calibration.anomalyScore(state, entered * 1.001), 1e-12);
    }

    /**
     * Errors |N(0, 1)|, with spikes of 15 standard deviations 20 readings apart in the middle: about 1 % of the rest
     * flagged at 0.99 (shrunk towards t alone, as before the median's ceiling: 1.6 %), every spike flagged.
     */
    @Test
    void aboutOnePercentOfNormalErrorsAreFlaggedAndSpikesTwentyReadingsApartAllAre() {
        ErrorCalibration calibration = new ErrorCalibration(0.9, 0.99);
        SensorState state = sensor(0, 1);
        java.util.Random random = new java.util.Random(7);
        int flagged = 0;
        int normal = 0;
        int spikesFlagged = 0;
        int spikes = 0;
        for (int i = 0; i < 40_000; i++) {
            boolean spike = i >= 20_000 && i < 20_400 && i % 20 == 0;
            double error = spike ? 15 : Math.abs(random.nextGaussian());
            boolean anomalous = scoreAndAdd(calibration, state, error);
            if (i >= 1_000 && !spike) {
                normal++;
                flagged += anomalous ? 1 : 0;
            }
            if (spike) {
                spikes++;
                spikesFlagged += anomalous ? 1 : 0;
            }
        }
        double share = flagged / (double) normal;
        assertTrue(share > 0.007 && share < 0.014, "flagged " + share);
        assertEquals(spikes, spikesFlagged);
    }

    /** The interval follows a lasting change of the errors' size within about a set's length (200 errors). */
    @Test
    void theIntervalAdaptsWhenTheErrorsGrow() {
        ErrorCalibration calibration = new ErrorCalibration(0.9, 0.99);
        SensorState state = sensor(0, 1);
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 1_000; i++) {
            scoreAndAdd(calibration, state, Math.abs(random.nextGaussian()));
        }
        double before = calibration.halfWidth(state);
        assertEquals(1.645, before, 0.25, "the 0.9 quantile of |N(0, 1)|");
        for (int i = 0; i < 250; i++) {
            scoreAndAdd(calibration, state, Math.abs(3 * random.nextGaussian()));
        }
        assertEquals(3 * 1.645, calibration.halfWidth(state), 0.6, "now that of |N(0, 9)|");
    }
}
