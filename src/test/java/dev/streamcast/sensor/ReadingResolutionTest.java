package dev.streamcast.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ReadingResolutionTest {

    /** A resolution that has seen {@code readings} readings on the grid of {@code step}. */
    private static ReadingResolution seen(double step, int readings, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ReadingResolution resolution = new ReadingResolution();
        for (int k = 0; k < readings; k++) {
            resolution.observe(onGrid(random.nextDouble(-500, 500), step));
        }
        return resolution;
    }

    /** x rounded to a whole multiple of {@code step}, as the decimal a sensor of that resolution sends parses. */
    private static double onGrid(double x, double step) {
        return new BigDecimal(Math.rint(x / step)).multiply(BigDecimal.valueOf(step)).doubleValue();
    }

    @Test
    void drawingInNeverChangesWhichReadingsAnIntervalCovers() {
        for (double step : new double[] {10, 5, 1, 0.5, 0.1, 0.05, 0.01, 0.001}) {
            ReadingResolution resolution = seen(step, 200, (long) (step * 1000));
            assertEquals(step, resolution.step(), step * 1e-12);
            SplittableRandom random = new SplittableRandom((long) (step * 1000));
            for (int trial = 0; trial < 2_000; trial++) {
                double forecast = random.nextDouble(-400, 400);
                double half = step * random.nextDouble(2, 40);
                double lower = resolution.snapLower(forecast - half, forecast, 2 * half);
                double upper = resolution.snapUpper(forecast + half, forecast, 2 * half);
                assertTrue(lower >= forecast - half && lower <= forecast, "drawn in, never past the forecast");
                assertTrue(upper <= forecast + half && upper >= forecast, "drawn in, never past the forecast");
                assertEquals(onGrid(lower, step), lower, "a grid point");
                // Every reading the sensor can send near the interval: covered by both or by neither.
                for (double x = forecast - half - 2 * step; x <= forecast + half + 2 * step; x += step / 2) {
                    double reading = onGrid(x, step);
                    boolean before = reading >= forecast - half && reading <= forecast + half;
                    boolean after = reading >= lower && reading <= upper;
                    assertEquals(before, after, "reading " + reading + " in [" + lower + ", " + upper + "]");
                }
            }
        }
    }

    @Test
    void aOneDecimalSensorsBoundsAreItsGridPoints() {
        ReadingResolution resolution = seen(0.1, 60, 3);
        double lower = resolution.snapLower(12.23, 14.0, 3.5);
        double upper = resolution.snapUpper(15.77, 14.0, 3.5);
        assertEquals(12.3, lower);
        assertEquals(15.7, upper);
        assertEquals(-12.2, resolution.snapLower(-12.23, -10, 4.5));
        assertEquals(-7.8, resolution.snapUpper(-7.77, -10, 4.5));
    }

    @Test
    void nothingIsDrawnInBeforeEnoughReadingsHaveShownTheGrid() {
        ReadingResolution young = seen(0.1, ReadingResolution.TRUSTED_READINGS - 1, 4);
        assertEquals(0, young.step());
        assertEquals(12.23, young.snapLower(12.23, 14.0, 3.5));
        young.observe(20.5);
        assertEquals(0.1, young.step(), 1e-15);
    }

    @Test
    void aFinerReadingMakesTheGridFinerForGood() {
        ReadingResolution resolution = seen(1, 100, 5);
        assertEquals(1, resolution.step());
        resolution.observe(20.5);
        assertEquals(0.5, resolution.step(), "half units, as a thermometer of 0.5 degrees reports");
        resolution.observe(20.25);
        assertEquals(0.05, resolution.step(), 1e-15);
        resolution.observe(20.27);
        assertEquals(0.01, resolution.step(), 1e-15);
        resolution.observe(30);
        assertEquals(0.01, resolution.step(), 1e-15, "a coarse reading does not make it coarser");
    }

    @Test
    void aContinuousSensorOrANarrowIntervalIsLeftAsItIs() {
        ReadingResolution continuous = seen(0.1, 100, 6);
        continuous.observe(Math.PI);
        assertEquals(0, continuous.step());
        assertEquals(Math.PI - 1, continuous.snapLower(Math.PI - 1, Math.PI, 2));

        ReadingResolution tenths = seen(0.1, 100, 7);
        // A step of 0.1 against a width of 0.3: more than a quarter of it, left as it is.
        assertEquals(12.23, tenths.snapLower(12.23, 12.38, 0.3));
        assertEquals(12.3, tenths.snapLower(12.23, 12.63, 0.8));
    }

    @Test
    void theResolutionIsStoredWithTheSensorsState() {
        SensorState state = new SensorState(3, 0);
        for (int k = 0; k < 60; k++) {
            state.resolution().observe(k / 10.0);
        }
        SensorState read = SensorStateCodec.decode(SensorStateCodec.encode(state), 3, 0);
        assertEquals(0.1, read.resolution().step(), 1e-15);
        read.clear();
        assertEquals(0, read.resolution().step());
    }

    @Test
    void boundsTooFarOutForTheGridAreLeftAsTheyAreAndNothingHangs() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            ReadingResolution tenths = seen(0.1, 60, 8);
            // A sentinel reading (a sensor's "no value" of 1e38, a counter near 2^53): k - 1 rounds back to k there.
            for (double huge : new double[] {1e15, 2e15, 1.23e16, 9.9e37, -9.99e37, Float.MAX_VALUE, 1e300}) {
                tenths.observe(huge);
                double lower = huge - 1.5;
                assertEquals(lower, tenths.snapLower(lower, huge, 3), "left as it is at " + huge);
                assertEquals(huge + 1.5, tenths.snapUpper(huge + 1.5, huge, 3), "left as it is at " + huge);
            }
            ReadingResolution units = seen(1, 60, 9);
            assertEquals(1e16 - 10, units.snapLower(1e16 - 10, 1e16, 1e16));
            ReadingResolution wide = seen(0.1, 60, 10);
            assertEquals(-1e16, wide.snapLower(-1e16, 0, 2e16), "a half-width of 1e16 on a tenths grid");
        });
    }
}
