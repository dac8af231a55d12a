package dev.streamcast.sensor;

import java.nio.ByteBuffer;

/**
 * A sensor's calibration set for {@link ErrorCalibration}: its last {@value #SENSOR_ERRORS} absolute
 * one-step errors, in the sensor's units, in a ring, with the interval quantile last computed from them.
 *
 * <p>The quantile is recomputed every {@value #QUANTILE_EVERY} errors, not per forecast: one new error among 200
 * moves the 0.9 quantile by at most one rank, and selecting it is the per-reading path's costliest calibration step
 * (a copy and a quickselect of the whole set). It is stored with the set, so a restored sensor forecasts with the
 * same interval as before.
 *
 * <p>The set's grid codes are also kept in ascending order ({@link #sorted}), updated as errors come and go (two
 * binary searches and a shift of at most {@value #SENSOR_ERRORS} shorts), so that any of its quantiles is a lookup
 * ({@link #quantile}) and an anomaly score's count of smaller errors a binary search ({@link #countBelow}); the
 * quickselect over a copy of the set was 6 % of the stream thread's time, its count a scan of the set 1 %.
 *
 * <p>Each error is kept on a logarithmic grid of {@value #CODES_PER_OCTAVE} points per doubling,
 * <pre>
 *   e -&gt; 2^(j / C),   j = round(C log2 e),   C = CODES_PER_OCTAVE   (0 stays 0)
 * </pre>
 * a relative rounding of at most 2^(1/(2C)) - 1 = 1.5 %, so that the stored set takes one byte per error: the grid
 * points counted down from the set's largest ({@link #writeCompact}; an error more than 10.5 doublings below it takes
 * a few bytes more). Rounding keeps the errors' order (ties aside), so the interval quantile and the anomaly threshold
 * are the rounded quantiles of the exact errors, within 1.5 % of them: measured by backtest, the intervals' coverage
 * and the share flagged did not move beyond noise (issue 27). The set reads back exactly as it was kept.
 */
final class CalibrationErrors {

    /** Grid points per doubling of the kept errors. */
    static final int CODES_PER_OCTAVE = 24;
    /** Grid points below its largest error that the stored set writes in one byte: 10.5 doublings. */
    static final int STORED_POINTS = 253;
    // The byte of an error further below the largest: its code follows in full.
    private static final int FULL_CODE = 255;
    /** The code of an error of 0 (and of one too small for a normal float). */
    static final short ZERO = Short.MIN_VALUE;
    // The grid's codes, from the smallest normal float's to the largest float's.
    private static final int MIN_CODE = (int) Math.ceil(-126.0 * CODES_PER_OCTAVE);
    private static final int MAX_CODE = 128 * CODES_PER_OCTAVE - 1;
    private static final float[] GRID = new float[MAX_CODE - MIN_CODE + 1];
    private static final double CODES_PER_LN = CODES_PER_OCTAVE / Math.log(2);

    static {
        for (int j = MIN_CODE; j <= MAX_CODE; j++) {
            GRID[j - MIN_CODE] = (float) Math.pow(2, (double) j / CODES_PER_OCTAVE);
        }
    }

    /** How many errors may be added before the interval quantile is computed again. */
    static final int QUANTILE_EVERY = 4;

    /** How many of its own recent errors a sensor keeps. */
    static final int SENSOR_ERRORS = 200;

    private final float[] errors = new float[SENSOR_ERRORS];
    // Each error's grid code j (ZERO for 0), slot by slot with errors.
    private final short[] codes = new short[SENSOR_ERRORS];
    // The same codes in ascending order, sorted[0..count): the grid is increasing, so their errors are in order too.
    private final short[] sorted = new short[SENSOR_ERRORS];
    // The ring occupies errors[0..count) until it is full, then all of it; the oldest is at start.
    private int count;
    private int start;
    private float quantile = Float.NaN;
    private int addedSinceQuantile;

    int count() {
        return count;
    }

    /** The set's errors copied into {@code into} (any order); returns how many. */
    int copyInto(float[] into) {
        int first = Math.min(count, errors.length - start);
        System.arraycopy(errors, start, into, 0, first);
        System.arraycopy(errors, 0, into, first, count - first);
        return count;
    }

    /** How many errors of the set are below {@code error}: the first place in {@link #sorted} not below it. */
    int countBelow(double error) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (value(sorted[mid]) < error) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The ceil(level (n + 1))-th smallest error of the set of n, the largest when that rank passes n: what
     * {@link ErrorCalibration#conformalQuantile} selects from a copy of the set. The set must not be empty.
     */
    double quantile(double level) {
        int rank = (int) Math.ceil(level * (count + 1));
        return value(sorted[Math.min(rank, count) - 1]);
    }

    /** Where {@code code} is, or would go, in sorted[0..n): the first place whose code is not below it. */
    private int place(short code, int n) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < code) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Puts {@code added} into the sorted codes, taking {@code removed} out first when {@code remove}. */
    private void resort(boolean remove, short removed, short added) {
        int n = count;
        if (remove) {
            int at = place(removed, n);
            System.arraycopy(sorted, at + 1, sorted, at, n - at - 1);
            n--;
        }
        int at = place(added, n);
        System.arraycopy(sorted, at, sorted, at + 1, n - at);
        sorted[at] = added;
    }

    /** The grid code of an error: round(C log2 e), {@link #ZERO} for 0 or less. */
    static short code(double error) {
        if (!(error >= GRID[0])) {
            return ZERO;
        }
        long j = Math.round(Math.log(error) * CODES_PER_LN);
        return (short) Math.min(MAX_CODE, j);
    }

    /** The error of a grid code. */
    static float value(short code) {
        return code == ZERO ? 0 : GRID[code - MIN_CODE];
    }

    /** The error as the set keeps it: the nearest point of the grid. */
    static float rounded(double error) {
        return value(code(error));
    }

    /** Adds an error, dropping the oldest when full; it is kept rounded to the grid. */
    void add(float error) {
        int slot = start + count;
        if (slot >= errors.length) {
            slot -= errors.length;
        }
        boolean full = count == errors.length;
        short code = code(error);
        // Before count changes: resort works on sorted[0..count).
        resort(full, codes[slot], code);
        if (full) {
            start = start + 1 == errors.length ? 0 : start + 1;
        } else {
            count++;
        }
        codes[slot] = code;
        errors[slot] = value(code);
        addedSinceQuantile++;
    }

    /** The interval quantile computed after the last {@link #QUANTILE_EVERY} additions, or NaN when it is due. */
    float cachedQuantile() {
        return addedSinceQuantile >= QUANTILE_EVERY ? Float.NaN : quantile;
    }

    void setCachedQuantile(float value) {
        quantile = value;
        addedSinceQuantile = 0;
    }

    /** Multiplies every error and the quantile by {@code factor}: a set stored in another unit, converted. */
    void multiply(double factor) {
        for (int k = 0; k < count; k++) {
            codes[k] = code(errors[k] * factor);
            errors[k] = value(codes[k]);
        }
        System.arraycopy(codes, 0, sorted, 0, count);
        java.util.Arrays.sort(sorted, 0, count);
        quantile = Float.isNaN(quantile) ? quantile : rounded(quantile * factor);
    }

    void clear() {
        count = 0;
        start = 0;
        quantile = Float.NaN;
        addedSinceQuantile = 0;
    }

    int bytes() {
        return 4 + count * 4 + 4 + 4;
    }

    /** count, count x error (oldest first), quantile, additions since the quantile. */
    void write(ByteBuffer buffer) {
        buffer.putInt(count);
        int first = Math.min(count, errors.length - start);
        buffer.asFloatBuffer().put(errors, start, first).put(errors, 0, count - first);
        buffer.position(buffer.position() + count * 4);
        buffer.putFloat(quantile).putInt(addedSinceQuantile);
    }

    /** Reads what {@link #write} wrote. */
    void read(ByteBuffer buffer) {
        clear();
        int stored = buffer.getInt();
        // A set stored larger than this one keeps its most recent errors.
        int skip = Math.max(0, stored - errors.length);
        buffer.position(buffer.position() + skip * 4);
        for (int k = 0; k < stored - skip; k++) {
            add(buffer.getFloat());
        }
        float storedQuantile = buffer.getFloat();
        quantile = Float.isNaN(storedQuantile) ? storedQuantile : rounded(storedQuantile);
        addedSinceQuantile = buffer.getInt();
    }

    /** The most bytes {@link #writeCompact} writes. */
    static int maxCompactBytes() {
        return 5 + 5 + SENSOR_ERRORS * 6 + 1 + 5 + 5;
    }

    /**
     * count (varint); with errors, the largest code J (varint), then count x one byte per error, oldest first: 0 for
     * 0, J - j + 1 for a code j within {@value #STORED_POINTS} points below J, else 255 and the code j as a varint
     * (an error below about a 1,500th of the largest, rare); then the quantile (a byte, 1 with a varint code
     * following, 0 for none) and the additions since it (varint).
     */
    void writeCompact(ByteBuffer buffer) {
        Varints.write(count, buffer);
        if (count > 0) {
            int largest = ZERO;
            for (int k = 0; k < count; k++) {
                largest = Math.max(largest, codes[k]);
            }
            Varints.write(largest, buffer);
            for (int i = 0; i < count; i++) {
                int slot = start + i < errors.length ? start + i : start + i - errors.length;
                int below = largest - codes[slot];
                if (codes[slot] == ZERO) {
                    buffer.put((byte) 0);
                } else if (below < STORED_POINTS) {
                    buffer.put((byte) (below + 1));
                } else {
                    buffer.put((byte) FULL_CODE);
                    Varints.write(codes[slot], buffer);
                }
            }
        }
        if (Float.isNaN(quantile)) {
            buffer.put((byte) 0);
        } else {
            buffer.put((byte) 1);
            Varints.write(code(quantile), buffer);
        }
        Varints.write(addedSinceQuantile, buffer);
    }

    /** Reads what {@link #writeCompact} wrote. */
    void readCompact(ByteBuffer buffer) {
        clear();
        int stored = Varints.readInt(buffer);
        if (stored > 0) {
            int largest = Varints.readInt(buffer);
            for (int k = 0; k < stored; k++) {
                int b = buffer.get() & 0xff;
                short code = b == 0 ? ZERO
                        : b == FULL_CODE ? (short) Varints.readInt(buffer) : (short) (largest - (b - 1));
                // A set stored larger than this one keeps its most recent errors: add drops the oldest.
                add(value(code));
            }
        }
        quantile = buffer.get() == 0 ? Float.NaN : value((short) Varints.readInt(buffer));
        addedSinceQuantile = Varints.readInt(buffer);
    }
}
