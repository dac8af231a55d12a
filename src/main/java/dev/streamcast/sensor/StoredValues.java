package dev.streamcast.sensor;

import java.nio.ByteBuffer;

/**
 * How the stored state (format 10) writes a number that lies near another it has already written (a forecast near
 * its reading, a bound near its forecast): in the first of these forms that gives it back exactly,
 * <pre>
 *   ON_GRID    whole steps of the readings' grid ({@link ReadingResolution}) from an anchor, a varlong
 *   AS_FLOAT   its distance from the reference, rounded to a float: reference + distance is the number
 *   AS_DOUBLE  the double itself
 *   FOURTH     NaN, or what the caller makes the fourth form mean (an upper bound mirroring the lower one)
 * </pre>
 * Each form is two bits in a flag byte the caller writes first. The anchor is a grid index both sides know (the
 * last reading on the grid written so far, 0 before one).
 */
final class StoredValues {

    static final int ON_GRID = 0;
    static final int AS_FLOAT = 1;
    static final int AS_DOUBLE = 2;
    static final int FOURTH = 3;

    private StoredValues() {
    }

    /** The form {@code value} is written in against {@code reference}; NaN takes the fourth. */
    static int form(ReadingResolution grid, double value, double reference) {
        if (Double.isNaN(value)) {
            return FOURTH;
        }
        if (grid.onGrid(value)) {
            return ON_GRID;
        }
        return floatDistance(value, reference) ? AS_FLOAT : AS_DOUBLE;
    }

    /** Whether reference + (float) (value - reference) is {@code value}, bit for bit. */
    static boolean floatDistance(double value, double reference) {
        if (!Double.isFinite(reference) || !Double.isFinite(value)) {
            return false;
        }
        double distance = (float) (value - reference);
        return Double.doubleToRawLongBits(reference + distance) == Double.doubleToRawLongBits(value);
    }

    /**
     * Whether {@code upper} is {@code lower} mirrored about the forecast by a float distance, forecast + (float)
     * (forecast - lower): an interval forecast -/+ a float quantile not drawn in to a grid.
     */
    static boolean mirrored(double lower, double forecast, double upper) {
        return floatDistance(forecast - (float) (forecast - lower), forecast) && Double.isFinite(lower)
                && Double.doubleToRawLongBits(mirror(lower, forecast)) == Double.doubleToRawLongBits(upper);
    }

    /** The upper bound {@link #mirrored} gives. */
    static double mirror(double lower, double forecast) {
        return forecast + (float) (forecast - lower);
    }

    /** Writes {@code value} in {@code form} (nothing for the fourth). */
    static void write(ByteBuffer buffer, ReadingResolution grid, int form, double value, double reference,
                      long anchor) {
        switch (form) {
            case ON_GRID -> Varints.write(grid.gridIndex(value) - anchor, buffer);
            case AS_FLOAT -> buffer.putFloat((float) (value - reference));
            case AS_DOUBLE -> buffer.putDouble(value);
            default -> {
            }
        }
    }

    /** Reads what {@link #write} wrote; NaN for the fourth form. */
    static double read(ByteBuffer buffer, ReadingResolution grid, int form, double reference, long anchor) {
        return switch (form) {
            case ON_GRID -> grid.gridValue(Varints.read(buffer) + anchor);
            case AS_FLOAT -> reference + buffer.getFloat();
            case AS_DOUBLE -> buffer.getDouble();
            default -> Double.NaN;
        };
    }
}
