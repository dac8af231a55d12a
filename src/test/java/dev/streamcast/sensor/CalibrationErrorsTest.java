package dev.streamcast.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CalibrationErrorsTest {

    /** The k-th point of the grid the set keeps its errors on: 2^(k / 24). */
    private static float point(int k) {
        return CalibrationErrors.value((short) k);
    }

    @Test
    void theRingKeepsTheLastErrorsAndCountsBelowInAnyOrder() {
        CalibrationErrors set = new CalibrationErrors();
        int n = CalibrationErrors.SENSOR_ERRORS;
        for (int k = 0; k < n + 50; k++) {
            set.add(point(k));
        }
        assertEquals(n, set.count());
        assertEquals(0, set.countBelow(point(50)), "the first 50 errors were dropped");
        assertEquals(100, set.countBelow(point(150)));
        float[] copy = new float[n];
        set.copyInto(copy);
        assertEquals(point(50), copy[0], "oldest first");
        assertEquals(point(n + 49), copy[n - 1]);
    }

    @Test
    void quantilesAndCountsFromTheSortedCodesAreWhatASelectionOverTheSetGives() {
        CalibrationErrors set = new CalibrationErrors();
        java.util.Random random = new java.util.Random(11);
        float[] copy = new float[CalibrationErrors.SENSOR_ERRORS];
        double[] levels = {0.01, 0.5, 0.9, 0.99, 0.999};
        for (int i = 0; i < 3000; i++) {
            // Ties, zeros and a wide range, through the ring's wrap-around, a unit change and a reload.
            double error = random.nextInt(10) == 0 ? 0 : random.nextInt(4) == 0 ? point(random.nextInt(5))
                    : Math.exp(random.nextGaussian() * 3);
            set.add((float) error);
            if (i == 1500) {
                set.multiply(3.5);
            }
            if (i == 2200) {
                ByteBuffer buffer = ByteBuffer.allocate(CalibrationErrors.maxCompactBytes());
                set.writeCompact(buffer);
                buffer.flip();
                set.readCompact(buffer);
            }
            for (double level : levels) {
                int n = set.copyInto(copy);
                assertEquals(ErrorCalibration.conformalQuantile(copy, n, level), set.quantile(level), 0.0,
                        "level " + level + " after " + (i + 1) + " errors");
            }
            double probe = random.nextBoolean() ? Math.exp(random.nextGaussian() * 3) : point(random.nextInt(5));
            int below = 0;
            int n = set.copyInto(copy);
            for (int k = 0; k < n; k++) {
                below += copy[k] < probe ? 1 : 0;
            }
            assertEquals(below, set.countBelow(probe), "below " + probe);
        }
    }

    @Test
    void errorsAreKeptOnALogarithmicGridWithinOnePointFivePercent() {
        assertEquals(2f, point(CalibrationErrors.CODES_PER_OCTAVE), "24 points per doubling");
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 10_000; i++) {
            double error = Math.exp(random.nextGaussian() * 10);
            float kept = CalibrationErrors.rounded(error);
            assertEquals(error, kept, error * 0.0146, "2^(1/48) - 1 = 1.45 %");
            assertEquals(kept, CalibrationErrors.rounded(kept), "a kept error is kept as it is");
        }
        assertEquals(0f, CalibrationErrors.rounded(0));
        assertEquals(0f, CalibrationErrors.rounded(1e-40), "below the normal floats: 0");
        assertTrue(Float.isFinite(CalibrationErrors.rounded(Float.MAX_VALUE)));
        for (int k = -3000; k < 3000; k++) {
            assertEquals(k, CalibrationErrors.code(point(k)), "each point's code is its own");
        }
    }

    @Test
    void theStoredSetTakesAByteAnErrorAndReadsBackAsItWas() {
        CalibrationErrors set = new CalibrationErrors();
        java.util.Random random = new java.util.Random(11);
        for (int k = 0; k < CalibrationErrors.SENSOR_ERRORS + 30; k++) {
            set.add(k % 17 == 0 ? 0 : (float) Math.abs(random.nextGaussian() * 3));
        }
        set.setCachedQuantile(CalibrationErrors.rounded(4.2));
        set.add(1);
        ByteBuffer buffer = ByteBuffer.allocate(CalibrationErrors.maxCompactBytes());
        set.writeCompact(buffer);
        assertTrue(buffer.position() <= CalibrationErrors.SENSOR_ERRORS + 10, buffer.position() + " bytes");
        buffer.flip();
        CalibrationErrors read = new CalibrationErrors();
        read.readCompact(buffer);
        assertEquals(0, buffer.remaining());
        float[] written = new float[set.count()];
        float[] readBack = new float[read.count()];
        set.copyInto(written);
        read.copyInto(readBack);
        org.junit.jupiter.api.Assertions.assertArrayEquals(written, readBack, "oldest first, every error as kept");
        assertEquals(CalibrationErrors.rounded(4.2), read.cachedQuantile());
    }

    @Test
    void anErrorFarBelowTheLargestTakesItsCodeInFull() {
        CalibrationErrors set = new CalibrationErrors();
        set.add(1000);
        set.add(1);
        set.add(1000 / 1700f);
        ByteBuffer buffer = ByteBuffer.allocate(CalibrationErrors.maxCompactBytes());
        set.writeCompact(buffer);
        CalibrationErrors read = new CalibrationErrors();
        read.readCompact(buffer.flip());
        float[] readBack = new float[3];
        read.copyInto(readBack);
        assertEquals(1f, readBack[1], "within 10.5 doublings of the largest");
        assertEquals(CalibrationErrors.rounded(1000 / 1700f), readBack[2], "a 1,700th of the largest");
        // count, largest code (2 bytes), 1 byte for each of the first two, 1 + 1 for the third, quantile, additions
        assertEquals(1 + 2 + 1 + 1 + 2 + 1 + 1, buffer.limit(), "one byte, and two with the code in full");
    }

    @Test
    void theQuantileIsDueEveryFewErrorsAndTravelsWithTheSet() {
        CalibrationErrors set = new CalibrationErrors();
        for (int k = 0; k < 10; k++) {
            set.add(k);
        }
        assertTrue(Float.isNaN(set.cachedQuantile()), "none computed yet");
        set.setCachedQuantile(8);
        for (int k = 0; k < CalibrationErrors.QUANTILE_EVERY - 1; k++) {
            set.add(1);
            assertEquals(8, set.cachedQuantile());
        }
        ByteBuffer buffer = ByteBuffer.allocate(set.bytes());
        set.write(buffer);
        buffer.flip();
        CalibrationErrors read = new CalibrationErrors();
        read.read(buffer);
        assertEquals(set.count(), read.count());
        assertEquals(8, read.cachedQuantile(), "restored with the quantile the sensor forecast with");
        read.add(2);
        assertTrue(Float.isNaN(read.cachedQuantile()), "due again after " + CalibrationErrors.QUANTILE_EVERY);
    }
}
