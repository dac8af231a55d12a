package dev.streamcast.stream;

import java.nio.ByteBuffer;

/**
 * The resolution a sensor reports at: the coarsest decimal step 10^e (e from {@value #COARSEST} down to
 * {@value #FINEST}) that every reading seen so far lies on, and how many readings have shown it. Most sensors are
 * quantised (an ADC's counts, whole degrees, one decimal place), and a reading can only take a value on that grid,
 * so an interval's bounds can be drawn in to the nearest grid points inside them without changing which readings
 * it covers ({@link #snapLower}, {@link #snapUpper}).
 *
 * <p>A reading is on the grid 10^e when it is exactly the double nearest to a whole multiple of 10^e, the value a
 * parsed decimal of that many places has: {@code rint(v / 10^e) * 10^e == v}, dividing by 10^-e for e &lt; 0.
 * A reading off the grid makes the step finer, never coarser; one off every grid (a value with a long binary
 * tail) leaves the sensor continuous, with nothing drawn in.
 *
 * <p>Drawing in is used only once {@value #TRUSTED_READINGS} readings have shown the grid (a few readings may share
 * a coarse step by chance), and only while the step is at most a quarter of the interval's width (a grid as coarse
 * as the interval says nothing the interval does not).
 */
final class ReadingResolution {

    /** The coarsest step considered, 10^COARSEST. */
    static final int COARSEST = 6;
    /** The finest step considered, 10^FINEST; a sensor off it is continuous. */
    static final int FINEST = -9;
    /** Readings that must have shown the grid before intervals are drawn in to it. */
    static final int TRUSTED_READINGS = 50;
    /** Bytes of the stored form: the exponent and the readings seen. */
    static final int BYTES = 1 + 4;

    private static final double[] POWERS = new double[COARSEST - FINEST + 1];

    static {
        for (int e = FINEST; e <= COARSEST; e++) {
            POWERS[e - FINEST] = Math.pow(10, Math.abs(e));
        }
    }

    // The grid's exponent; FINEST - 1: continuous (off every grid considered).
    private int exponent = COARSEST;
    private int readings;

    /** Narrows the grid to one the reading lies on (call with every accepted reading). */
    void observe(double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        while (exponent >= FINEST && fromGrid(Math.rint(toGrid(value))) != value) {
            exponent--;
        }
        if (readings < Integer.MAX_VALUE) {
            readings++;
        }
    }

    /** The grid's step, or 0 while intervals are not drawn in to it (too few readings, or continuous). */
    double step() {
        if (readings < TRUSTED_READINGS || exponent < FINEST) {
            return 0;
        }
        return exponent >= 0 ? power(exponent) : 1 / power(exponent);
    }

    /**
     * The lowest grid point at or above {@code lower}, but no higher than the forecast; {@code lower} itself when the
     * grid is not used for an interval of this width. No reading lies between the two, so coverage is unchanged.
     */
    double snapLower(double lower, double forecast, double width) {
        if (!usable(width)) {
            return lower;
        }
        double k = Math.ceil(toGrid(lower));
        // fromGrid rounds: step to the grid point that is truly the first at or above lower.
        while (fromGrid(k - 1) >= lower) {
            k--;
        }
        while (fromGrid(k) < lower) {
            k++;
        }
        return Math.min(fromGrid(k), Math.max(lower, forecast));
    }

    /** The highest grid point at or below {@code upper}, but no lower than the forecast (see {@link #snapLower}). */
    double snapUpper(double upper, double forecast, double width) {
        if (!usable(width)) {
            return upper;
        }
        double k = Math.floor(toGrid(upper));
        while (fromGrid(k + 1) <= upper) {
            k++;
        }
        while (fromGrid(k) > upper) {
            k--;
        }
        return Math.max(fromGrid(k), Math.min(upper, forecast));
    }

    private boolean usable(double width) {
        double step = step();
        return step > 0 && Double.isFinite(width) && step <= width / 4;
    }

    // v in grid units: v / 10^e, as v * 10^-e for e < 0 (10^-e is exact, 10^e is not).
    private double toGrid(double value) {
        return exponent >= 0 ? value / power(exponent) : value * power(exponent);
    }

    // k grid points: k * 10^e, as k / 10^-e for e < 0, the double a decimal of -e places parses to.
    private double fromGrid(double k) {
        return exponent >= 0 ? k * power(exponent) : k / power(exponent);
    }

    private static double power(int e) {
        return POWERS[e - FINEST];
    }

    void clear() {
        exponent = COARSEST;
        readings = 0;
    }

    void write(ByteBuffer buffer) {
        buffer.put((byte) exponent).putInt(readings);
    }

    void read(ByteBuffer buffer) {
        exponent = Math.max(FINEST - 1, Math.min(COARSEST, buffer.get()));
        readings = Math.max(0, buffer.getInt());
    }
}
