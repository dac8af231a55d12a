package dev.streamcast.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A computed number as the forecast and accuracy records write it: to nine significant digits, so within half a unit
 * of the ninth digit of the double it was, 5e-9 of its size (a reading's own number keeps its every digit).
 */
public final class WrittenNumbers {

    private static final double RELATIVE = 5e-9;

    private WrittenNumbers() {
    }

    /** Whether {@code written}, read back from a record, is {@code computed} to nine significant digits. */
    public static boolean isWritten(double computed, double written) {
        return Math.abs(computed - written) <= RELATIVE * Math.abs(computed) + Double.MIN_VALUE;
    }

    /** {@code written}, read back from a record, is {@code computed} to nine significant digits. */
    public static void assertWritten(double computed, double written, String message) {
        assertEquals(computed, written, RELATIVE * Math.abs(computed) + Double.MIN_VALUE, message);
    }

    public static void assertWritten(double computed, double written) {
        assertWritten(computed, written, null);
    }
}
