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
 */
final class CalibrationErrors {

    /** How many errors may be added before the interval quantile is computed again. */
    static final int QUANTILE_EVERY = 4;

    /** How many of its own recent errors a sensor keeps. */
    static final int SENSOR_ERRORS = 200;

    private final float[] errors = new float[SENSOR_ERRORS];
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

    /** How many errors of the set are below {@code error} (order does not matter: the occupied slots are 0..count). */
    int countBelow(double error) {
        int below = 0;
        for (int k = 0; k < count; k++) {
            if (errors[k] < error) {
                below++;
            }
        }
        return below;
    }

    /** Adds an error, dropping the oldest when full. */
    void add(float error) {
        int slot = start + count;
        if (slot >= errors.length) {
            slot -= errors.length;
        }
        if (count == errors.length) {
            start = start + 1 == errors.length ? 0 : start + 1;
        } else {
            count++;
        }
        errors[slot] = error;
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
            errors[k] = (float) (errors[k] * factor);
        }
        quantile = (float) (quantile * factor);
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
        quantile = buffer.getFloat();
        addedSinceQuantile = buffer.getInt();
    }
}
