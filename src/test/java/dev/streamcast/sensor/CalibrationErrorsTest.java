package dev.streamcast.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CalibrationErrorsTest {

    @Test
    void theRingKeepsTheLastErrorsAndCountsBelowInAnyOrder() {
        CalibrationErrors set = new CalibrationErrors();
        int n = CalibrationErrors.SENSOR_ERRORS;
        for (int k = 0; k < n + 50; k++) {
            set.add(k);
        }
        assertEquals(n, set.count());
        assertEquals(0, set.countBelow(50), "the first 50 errors were dropped");
        assertEquals(100, set.countBelow(150));
        float[] copy = new float[n];
        set.copyInto(copy);
        assertEquals(50, copy[0], "oldest first");
        assertEquals(n + 49, copy[n - 1]);
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
