package dev.streamcast.sensor;

import java.nio.ByteBuffer;

/**
 * The resolution a sensor reports at: the coarsest step of the chain 10^6, 5 x 10^5, 10^5, .., 1, 0.5, 0.1, 0.05,
 * .., 10^-9 (each step a whole multiple of the next, so a finer step keeps every reading seen on it) that every
 * reading seen so far lies on, and how many readings have shown it. Most sensors are quantised (an ADC's counts,
 * whole or half degrees, one decimal place), and a reading can only take a value on that grid, so an interval's
 * bounds can be drawn in to the nearest grid points inside them without changing which readings it covers
 * ({@link #snapLower}, {@link #snapUpper}).
 *
 * <p>A reading lies on the grid of step m 10^e (m 1 or 5) when it is exactly the double nearest to a whole multiple
 * of the step, the value a parsed decimal of that many places has: {@code fromGrid(rint(toGrid(v))) == v}, with
 * toGrid(v) = v / (m 10^e) and fromGrid(k) = k m 10^e (for e &lt; 0 computed as v 10^-e / m and k m / 10^-e, since
 * 10^-e is exact and 10^e is not). A reading off the grid makes the step finer, never coarser; one off every grid (a
 * value with a long binary tail) leaves the sensor continuous, with nothing drawn in.
 *
 * <p>Drawing in is used only once {@value #TRUSTED_READINGS} readings have shown the grid (a few readings may share
 * a coarse step by chance), and only while the step is at most a quarter of the interval's width (a grid as coarse
 * as the interval says nothing the interval does not).
 */
public final class ReadingResolution {

    /** The exponent of the coarsest step, 10^COARSEST. */
    static final int COARSEST = 6;
    /** The exponent of the finest step, 10^FINEST; a sensor off it is continuous. */
    static final int FINEST = -9;
    /** Readings that must have shown the grid before intervals are drawn in to it. */
    public static final int TRUSTED_READINGS = 50;
    /** Bytes of the stored form: the grid's place in the chain and the readings seen. */
    static final int BYTES = 1 + 4;
    /** The chain's last place: 10^FINEST. */
    private static final int LAST = 2 * (COARSEST - FINEST);

    private static final double[] POWERS = new double[COARSEST - FINEST + 1];

    static {
        for (int e = FINEST; e <= COARSEST; e++) {
            POWERS[e - FINEST] = Math.pow(10, Math.abs(e));
        }
    }

    // The grid's place in the chain: 2j is 10^(COARSEST - j), 2j + 1 is 5 x 10^(COARSEST - j - 1); past LAST:
    // continuous. The step's exponent and multiplier follow from it (set together).
    private int place;
    private int exponent;
    private int multiplier;
    private int readings;

    ReadingResolution() {
        clear();
    }

    /** Narrows the grid to one the reading lies on (call with every accepted reading). */
    public void observe(double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        while (place <= LAST && fromGrid(Math.rint(toGrid(value))) != value) {
            setPlace(place + 1);
        }
        if (readings < Integer.MAX_VALUE) {
            readings++;
        }
    }

    private void setPlace(int newPlace) {
        place = newPlace;
        exponent = COARSEST - (newPlace + 1) / 2;
        multiplier = newPlace % 2 == 0 ? 1 : 5;
    }

    /** The grid's step, or 0 while intervals are not drawn in to it (too few readings, or continuous). */
    double step() {
        if (readings < TRUSTED_READINGS || place > LAST) {
            return 0;
        }
        return exponent >= 0 ? multiplier * power(exponent) : multiplier / power(exponent);
    }

    /**
     * The lowest grid point at or above {@code lower}, but no higher than the forecast; {@code lower} itself when the
     * grid is not used for an interval of this width. No reading lies between the two, so coverage is unchanged.
     */
    public double snapLower(double lower, double forecast, double width) {
        if (!usable(width, lower)) {
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
    public double snapUpper(double upper, double forecast, double width) {
        if (!usable(width, upper)) {
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

    /**
     * Whether a bound of an interval this wide is drawn in: a trusted grid, a step at most a quarter of the width, and
     * a bound within 2^52 grid points of 0, where k - 1 and k + 1 are still other numbers than k (beyond it the steps
     * to the grid point could not move, and a double there is on every grid anyway).
     */
    private boolean usable(double width, double bound) {
        double step = step();
        return step > 0 && Double.isFinite(width) && step <= width / 4 && Math.abs(toGrid(bound)) < 0x1p52;
    }

    // v in grid units: v / (m 10^e), as v 10^-e / m for e < 0 (10^-e is exact, 10^e is not).
    private double toGrid(double value) {
        return exponent >= 0 ? value / (multiplier * power(exponent)) : value * power(exponent) / multiplier;
    }

    // k grid points: k m 10^e, as k m / 10^-e for e < 0, the double a decimal of -e places parses to. Adding 0 turns
    // the -0.0 that ceil gives between -1 and 0 into 0, so no bound is published as -0.0.
    private double fromGrid(double k) {
        return (exponent >= 0 ? k * multiplier * power(exponent) : k * multiplier / power(exponent)) + 0.0;
    }

    /**
     * Whether {@code value} lies on the grid of the readings seen so far (trusted or not, while there is one): the
     * values a stored state writes as a whole number of grid steps ({@link #gridIndex}, {@link #gridValue}).
     */
    boolean onGrid(double value) {
        if (place > LAST || !Double.isFinite(value)) {
            return false;
        }
        double k = toGrid(value);
        // -0.0 equals 0.0 but is another double: written as it is, not as the grid's 0.
        return Math.abs(k) < 0x1p52 && fromGrid(Math.rint(k)) == value && (value != 0 || 1 / value > 0);
    }

    /** The grid points from 0 to {@code value}, which {@link #onGrid} lies on it. */
    long gridIndex(double value) {
        return (long) Math.rint(toGrid(value));
    }

    /** The value {@code index} grid points from 0: {@link #gridIndex}'s inverse on the grid. */
    double gridValue(long index) {
        return fromGrid(index);
    }

    private static double power(int e) {
        return POWERS[e - FINEST];
    }

    void clear() {
        setPlace(0);
        readings = 0;
    }

    void write(ByteBuffer buffer) {
        buffer.put((byte) place).putInt(readings);
    }

    void read(ByteBuffer buffer) {
        setPlace(Math.max(0, Math.min(LAST + 1, buffer.get())));
        readings = Math.max(0, buffer.getInt());
    }
}
