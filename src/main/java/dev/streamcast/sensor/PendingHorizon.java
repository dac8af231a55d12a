package dev.streamcast.sensor;

import dev.streamcast.wire.ForecastSource;
import java.nio.ByteBuffer;

/**
 * A sensor's forecasts of steps 2 to H (forecast.horizon) still waiting for their readings: one row per recent
 * forecast ("origin"), newest last, each with its model version, its source and, per step, the forecast and its
 * interval's bounds as published. Step 1 of each forecast is the sensor's pending forecast
 * ({@link SensorState#pendingForecast()}).
 *
 * <p>When a reading arrives, the origin made k readings before it has its step k scored, for k = 2..H; so H rows
 * are kept (the newest, age 1, is scored from the next reading on). Empty, and no bytes in the state, when H = 1.
 */
public final class PendingHorizon {

    /** Bytes of one stored step: forecast, lower, upper. */
    private static final int STEP_BYTES = 24;

    private final int horizon;
    // Row r, step h (2..H) at [r * (H - 1) + h - 2]; rows form a ring, the newest at newest.
    private final double[] forecasts;
    private final double[] lowers;
    private final double[] uppers;
    private final long[] versions;
    private final byte[] sources;
    private int rows;
    private int newest = -1;

    PendingHorizon(int horizon) {
        this.horizon = horizon;
        int capacity = horizon > 1 ? horizon : 0;
        forecasts = new double[capacity * Math.max(0, horizon - 1)];
        lowers = new double[forecasts.length];
        uppers = new double[forecasts.length];
        versions = new long[capacity];
        sources = new byte[capacity];
    }

    int horizon() {
        return horizon;
    }

    /** Forgets every pending step (the window started over: the next readings are not what they forecast). */
    void clear() {
        rows = 0;
        newest = -1;
    }

    /**
     * Adds the newest forecast's steps 2..H from {@code stepForecasts[1..H-1]}, {@code stepLowers[1..H-1]} and
     * {@code stepUppers[1..H-1]} (index 0 is step 1, kept elsewhere), dropping the oldest row when full.
     */
    public void push(double[] stepForecasts, double[] stepLowers, double[] stepUppers, long version,
            ForecastSource source) {
        if (horizon == 1) {
            return;
        }
        newest = (newest + 1) % horizon;
        rows = Math.min(rows + 1, horizon);
        int base = newest * (horizon - 1);
        System.arraycopy(stepForecasts, 1, forecasts, base, horizon - 1);
        System.arraycopy(stepLowers, 1, lowers, base, horizon - 1);
        System.arraycopy(stepUppers, 1, uppers, base, horizon - 1);
        versions[newest] = version;
        sources[newest] = source.code();
    }

    /** Whether the forecast made {@code age} readings ago (1: the last one) is still kept. */
    public boolean has(int age) {
        return age >= 1 && age <= rows;
    }

    private int index(int age, int step) {
        int row = Math.floorMod(newest - (age - 1), horizon);
        return row * (horizon - 1) + step - 2;
    }

    /** Step {@code step} (2..H) of the forecast made {@code age} readings ago. */
    public double forecast(int age, int step) {
        return forecasts[index(age, step)];
    }

    public double lower(int age, int step) {
        return lowers[index(age, step)];
    }

    public double upper(int age, int step) {
        return uppers[index(age, step)];
    }

    public long version(int age) {
        return versions[Math.floorMod(newest - (age - 1), horizon)];
    }

    public ForecastSource source(int age) {
        return ForecastSource.ofCode(sources[Math.floorMod(newest - (age - 1), horizon)]);
    }

    int bytes() {
        return 4 + 4 + rows * (9 + STEP_BYTES * (horizon - 1));
    }

    /** horizon, rows, then per row oldest first: version, source, (H - 1) x (forecast, lower, upper). */
    void write(ByteBuffer buffer) {
        buffer.putInt(horizon).putInt(rows);
        for (int age = rows; age >= 1; age--) {
            buffer.putLong(version(age)).put(sources[Math.floorMod(newest - (age - 1), horizon)]);
            for (int step = 2; step <= horizon; step++) {
                buffer.putDouble(forecast(age, step)).putDouble(lower(age, step)).putDouble(upper(age, step));
            }
        }
    }

    /**
     * Reads what {@link #write} wrote, or with {@code halfWidths} the older layout of (forecast, half-width) per step,
     * read as the bounds forecast -/+ half-width. Rows stored with another horizon are dropped (they forecast other
     * steps).
     */
    void read(ByteBuffer buffer) {
        clear();
        int storedHorizon = buffer.getInt();
        int storedRows = buffer.getInt();
        if (storedHorizon != horizon) {
            buffer.position(buffer.position() + storedRows * (9 + STEP_BYTES * Math.max(0, storedHorizon - 1)));
            return;
        }
        for (int r = 0; r < storedRows; r++) {
            newest = (newest + 1) % horizon;
            rows++;
            versions[newest] = buffer.getLong();
            sources[newest] = buffer.get();
            int base = newest * (horizon - 1);
            for (int k = 0; k < horizon - 1; k++) {
                forecasts[base + k] = buffer.getDouble();
                lowers[base + k] = buffer.getDouble();
                uppers[base + k] = buffer.getDouble();
            }
        }
    }
}
