package dev.streamcast.sensor;

import dev.streamcast.model.SensorSeason;
import dev.streamcast.wire.ForecastSource;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How a sensor's state is stored: the value of its record in the sensor-state store and that store's changelog.
 *
 * <pre>
 *  format 10  format (byte), flags (byte: 1 a forecast is pending, 2 the floor is engaged, 4 the pending forecast's
 *             model forecast follows, 8 it is the forecast itself, 16 the window's offsets follow), last offset
 *             (varlong), statistics (count as a varlong, level, mean squared step), the mean interval, window length,
 *             count (varints), count x (timestamp, value, and with flag 16 the season's offset the reading arrived
 *             with; without it every offset is 0), each timestamp a varlong from the one before plus the mean interval
 *             rounded (the first from 0); the resolution ({@link ReadingResolution#write}); the pending forecast when
 *             there is one: the forms of its bounds (a byte, {@link StoredValues}, two bits each, the upper's fourth
 *             form the lower mirrored), forecast, version (varlong), lower and upper bound (grid steps from the
 *             window's last value, or against the forecast), the model forecast when flagged, source code; step sum,
 *             step weight; the floor's model squares, naive squares and scored count (varint); the calibration set
 *             ({@link CalibrationErrors#writeCompact}: about a byte per error); the history ({@link
 *             ScoredHistory#writeCompact}: about 15 bytes an entry); the horizon's pending steps ({@link
 *             PendingHorizon#write}); the step errors ({@link StepErrorMeans#write}); the local correction ({@code
 *             LocalCorrection#writeCompact}: its covariance's upper triangle); the season. Varints and varlongs: {@link
 *             Varints} (zigzag, 7 bits a byte); doubles and floats big-endian.
 *  format 8   (0.1.0) format (byte), last offset, statistics (count, level, mean squared step), window length,
 *             count, count x (timestamp, value); the pending forecast ({@link PendingForecast#write}); step sum, step
 *             weight; the floor's model squares, naive squares, scored count and engaged flag; the calibration set
 *             ({@link CalibrationErrors#write}); the history ({@link ScoredHistory#write}); the mean interval; the
 *             horizon's pending steps ({@link PendingHorizon#write}); the step errors ({@link StepErrorMeans#write});
 *             the local correction; the resolution ({@link ReadingResolution#write}). Read, with the season learned
 *             again; not written.
 *  format 9   format 8 followed by a season, written only by snapshots of 0.2.0: refused.
 * </pre>
 *
 * <p>Format 10 (issue 27) stores a sensor of the defaults in about 900 bytes where format 9 took about 2,600 (the
 * size test is {@code SensorStateCodecTest}); the calibration set and the history's forecasts and bounds are kept in
 * memory as they are stored (see those classes), so a state reads back exactly as it was written.
 *
 * <p>A state written with another window, history or horizon length (the configuration changed between runs) keeps
 * its most recent entries that fit. Older formats are refused: no release wrote them.
 */
public final class SensorStateCodec {

    private static final byte FORMAT = 10;
    /** The format of 0.1.0: fixed-size fields, before the sensor's cadence and season were kept. */
    private static final byte FORMAT_WITHOUT_SEASON = 8;

    private static final int PRESENT = 1;
    private static final int FLOOR_ENGAGED = 2;
    private static final int MODEL_FORECAST = 4;
    private static final int MODEL_IS_FORECAST = 8;
    private static final int WINDOW_OFFSETS = 16;

    // Each thread's buffer to encode into: the varints make the size known only once written.
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(4096));
    // Each thread's copy of a stored window while it is read: the history refers to its values.
    private static final ThreadLocal<double[]> WINDOW_SCRATCH = ThreadLocal.withInitial(() -> new double[16]);

    private SensorStateCodec() {
    }

    /** The stored form of {@code state}. */
    public static byte[] encode(SensorState state) {
        int count = state.count();
        PendingForecast pending = state.pending();
        int most = 2 + 10 + 10 + 16 + 10 + count * 26 + 36 + 32 + 5 + CalibrationErrors.maxCompactBytes()
                + ReadingResolution.BYTES + state.scoredHistory().maxCompactBytes() + 8 + pending.horizon().bytes()
                + state.stepErrors().bytes() + state.correction().bytes() + state.season().bytes();
        ByteBuffer buffer = SCRATCH.get();
        if (buffer.capacity() < most) {
            buffer = ByteBuffer.allocate(most);
            SCRATCH.set(buffer);
        }
        buffer.clear();
        boolean modelIsForecast = pending.isPresent() && Double.doubleToRawLongBits(pending.modelForecast())
                == Double.doubleToRawLongBits(pending.forecast());
        boolean modelForecast = pending.isPresent() && !modelIsForecast && !Double.isNaN(pending.modelForecast());
        double[] offsets = state.offsets();
        boolean withOffsets = false;
        for (int k = 0; k < count; k++) {
            withOffsets |= offsets[k] != 0;
        }
        int flags = (pending.isPresent() ? PRESENT : 0) | (state.floorEngaged() ? FLOOR_ENGAGED : 0)
                | (modelForecast ? MODEL_FORECAST : 0) | (modelIsForecast ? MODEL_IS_FORECAST : 0)
                | (withOffsets ? WINDOW_OFFSETS : 0);
        buffer.put(FORMAT).put((byte) flags);
        Varints.write(state.lastOffset(), buffer);
        Varints.write(state.statsCount(), buffer);
        buffer.putDouble(state.level()).putDouble(state.meanSquaredStep()).putDouble(state.meanIntervalMs());
        long intervalMs = Math.round(state.meanIntervalMs());
        Varints.write(state.windowLength(), buffer);
        Varints.write(count, buffer);
        long[] timestamps = state.timestamps();
        double[] values = state.values();
        long previous = 0;
        for (int k = 0; k < count; k++) {
            Varints.write(timestamps[k] - previous - (k > 0 ? intervalMs : 0), buffer);
            buffer.putDouble(values[k]);
            if (withOffsets) {
                buffer.putDouble(offsets[k]);
            }
            previous = timestamps[k];
        }
        ReadingResolution grid = state.resolution();
        grid.write(buffer);
        if (pending.isPresent()) {
            double forecast = pending.forecast();
            long anchor = count > 0 && grid.onGrid(values[count - 1]) ? grid.gridIndex(values[count - 1]) : 0;
            int lowerForm = StoredValues.form(grid, pending.lower(), forecast);
            int upperForm = upperForm(grid, lowerForm, pending.lower(), forecast, pending.upper());
            buffer.put((byte) (lowerForm | upperForm << 2)).putDouble(forecast);
            Varints.write(pending.version(), buffer);
            StoredValues.write(buffer, grid, lowerForm, pending.lower(), forecast, anchor);
            if (upperForm != StoredValues.FOURTH) {
                StoredValues.write(buffer, grid, upperForm, pending.upper(), forecast, anchor);
            }
            if (modelForecast) {
                buffer.putDouble(pending.modelForecast());
            }
            buffer.put(pending.source().code());
        }
        buffer.putDouble(state.stepSum()).putDouble(state.stepWeight());
        buffer.putDouble(state.floorModelSquares()).putDouble(state.floorNaiveSquares());
        Varints.write(state.floorScored(), buffer);
        state.errors().writeCompact(buffer);
        state.scoredHistory().writeCompact(buffer, previous, intervalMs, values, count);
        pending.horizon().write(buffer);
        state.stepErrors().write(buffer);
        state.correction().writeCompact(buffer);
        state.season().write(buffer);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** The stored form of {@code state} in format 8, 0.1.0's (for tests of the upgrade). */
    static byte[] encodeFormat8(SensorState state) {
        int count = state.count();
        ByteBuffer buffer = ByteBuffer.allocate(1 + 8 + 24 + 4 + 4 + count * 16 + PendingForecast.BYTES + 16 + 16 + 4
                + 1
                + state.errors().bytes() + state.scoredHistory().bytes() + 8 + state.pending().horizon().bytes()
                + state.stepErrors().bytes() + state.correction().bytes() + ReadingResolution.BYTES);
        buffer.put(FORMAT_WITHOUT_SEASON).putLong(state.lastOffset()).putLong(state.statsCount())
                .putDouble(state.level())
                .putDouble(state.meanSquaredStep()).putInt(state.windowLength()).putInt(count);
        long[] timestamps = state.timestamps();
        double[] values = state.values();
        for (int k = 0; k < count; k++) {
            buffer.putLong(timestamps[k]).putDouble(values[k]);
        }
        state.pending().write(buffer);
        buffer.putDouble(state.stepSum()).putDouble(state.stepWeight());
        buffer.putDouble(state.floorModelSquares()).putDouble(state.floorNaiveSquares()).putInt(state.floorScored())
                .put((byte) (state.floorEngaged() ? 1 : 0));
        state.errors().write(buffer);
        state.scoredHistory().write(buffer);
        buffer.putDouble(state.meanIntervalMs());
        state.pending().horizon().write(buffer);
        state.stepErrors().write(buffer);
        state.correction().write(buffer);
        state.resolution().write(buffer);
        return buffer.array();
    }

    /** A stored state, for forecasts one step ahead, with the default season bins. */
    public static SensorState decode(byte[] bytes, int windowLength, int historyLength) {
        return decode(bytes, windowLength, historyLength, 1);
    }

    /** A stored state, for forecasts {@code horizonSteps} ahead, with the default season bins. */
    public static SensorState decode(byte[] bytes, int windowLength, int historyLength, int horizonSteps) {
        return decode(bytes, windowLength, historyLength, horizonSteps, SensorSeason.DEFAULT_MAX_BINS);
    }

    /** A stored state, with the seasons' forecast.season.max-bins. */
    public static SensorState decode(byte[] bytes, int windowLength, int historyLength, int horizonSteps,
                                     int seasonMaxBins) {
        SensorState state = new SensorState(windowLength, historyLength, horizonSteps, seasonMaxBins);
        decodeInto(bytes, state);
        return state;
    }

    /**
     * Replaces {@code state} with a stored one: the per-reading path reuses one state instead of allocating its
     * arrays per reading.
     *
     * @throws IllegalStateException for a format this version does not read
     */
    public static void decodeInto(byte[] bytes, SensorState state) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte format = buffer.get();
        if (format == FORMAT) {
            decodeCompact(buffer, state);
            return;
        }
        if (format != FORMAT_WITHOUT_SEASON) {
            throw new IllegalStateException("unknown sensor state format " + format);
        }
        state.clear();
        long offset = buffer.getLong();
        long statsCount = buffer.getLong();
        double level = buffer.getDouble();
        double meanSquaredStep = buffer.getDouble();
        buffer.getInt();
        int storedCount = buffer.getInt();
        for (int k = 0; k < storedCount; k++) {
            state.append(buffer.getLong(), buffer.getDouble());
        }
        // A pending forecast made from a window of another length is not the one the next reading scores.
        state.pending().read(buffer, storedCount == state.windowLength());
        state.restoreStepScale(buffer.getDouble(), buffer.getDouble());
        state.setFloor(buffer.getDouble(), buffer.getDouble(), buffer.getInt(), buffer.get() == 1);
        state.errors().read(buffer);
        state.scoredHistory().read(buffer);
        state.restoreMeanIntervalMs(buffer.getDouble());
        state.pending().horizon().read(buffer);
        state.stepErrors().read(buffer);
        state.correction().read(buffer);
        state.resolution().read(buffer);
        state.setLastOffset(offset);
        // After the window's appends, which moved the statistics: the stored ones are the sensor's.
        state.restoreStats(statsCount, level, meanSquaredStep);
    }

    /**
     * The form of an interval's upper bound ({@link StoredValues}), whose fourth form is NaN with a NaN lower bound
     * and otherwise the lower bound mirrored about the forecast.
     */
    static int upperForm(ReadingResolution grid, int lowerForm, double lower, double forecast, double upper) {
        if (Double.isNaN(upper)) {
            return Double.isNaN(lower) ? StoredValues.FOURTH : StoredValues.AS_DOUBLE;
        }
        if (lowerForm != StoredValues.ON_GRID && StoredValues.mirrored(lower, forecast, upper)) {
            return StoredValues.FOURTH;
        }
        return StoredValues.form(grid, upper, forecast);
    }

    /** The upper bound {@link #upperForm} wrote. */
    static double readUpper(ByteBuffer buffer, ReadingResolution grid, int form, double lower, double forecast,
                            long anchor) {
        if (form != StoredValues.FOURTH) {
            return StoredValues.read(buffer, grid, form, forecast, anchor);
        }
        return Double.isNaN(lower) ? Double.NaN : StoredValues.mirror(lower, forecast);
    }

    /** Reads format 10, after its format byte. */
    private static void decodeCompact(ByteBuffer buffer, SensorState state) {
        state.clear();
        int flags = buffer.get();
        long offset = Varints.read(buffer);
        long statsCount = Varints.read(buffer);
        double level = buffer.getDouble();
        double meanSquaredStep = buffer.getDouble();
        double meanIntervalMs = buffer.getDouble();
        long intervalMs = Math.round(meanIntervalMs);
        Varints.readInt(buffer);
        int storedCount = Varints.readInt(buffer);
        // The stored window as written (the history refers to its values), then appended: a window stored longer
        // than this one keeps its most recent readings (append drops the oldest).
        double[] window = WINDOW_SCRATCH.get();
        if (window.length < storedCount) {
            window = new double[storedCount];
            WINDOW_SCRATCH.set(window);
        }
        long previous = 0;
        for (int k = 0; k < storedCount; k++) {
            previous += Varints.read(buffer) + (k > 0 ? intervalMs : 0);
            window[k] = buffer.getDouble();
            state.append(previous, window[k], (flags & WINDOW_OFFSETS) != 0 ? buffer.getDouble() : 0);
        }
        ReadingResolution grid = state.resolution();
        grid.read(buffer);
        if ((flags & PRESENT) != 0) {
            int forms = buffer.get();
            double forecast = buffer.getDouble();
            long version = Varints.read(buffer);
            double last = storedCount > 0 ? window[storedCount - 1] : Double.NaN;
            long anchor = grid.onGrid(last) ? grid.gridIndex(last) : 0;
            double lower = StoredValues.read(buffer, grid, forms & 3, forecast, anchor);
            double upper = readUpper(buffer, grid, forms >> 2 & 3, lower, forecast, anchor);
            double modelForecast = (flags & MODEL_FORECAST) != 0 ? buffer.getDouble()
                    : (flags & MODEL_IS_FORECAST) != 0 ? forecast : Double.NaN;
            ForecastSource source = ForecastSource.ofCode(buffer.get());
            // A pending forecast made from a window of another length is not the one the next reading scores.
            if (storedCount == state.windowLength()) {
                state.pending().set(forecast, version, lower, upper, modelForecast, source);
            }
        }
        state.restoreStepScale(buffer.getDouble(), buffer.getDouble());
        double modelSquares = buffer.getDouble();
        double naiveSquares = buffer.getDouble();
        state.setFloor(modelSquares, naiveSquares, Varints.readInt(buffer), (flags & FLOOR_ENGAGED) != 0);
        state.errors().readCompact(buffer);
        state.scoredHistory().readCompact(buffer, previous, intervalMs, window, storedCount);
        state.restoreMeanIntervalMs(meanIntervalMs);
        state.pending().horizon().read(buffer);
        state.stepErrors().read(buffer);
        state.correction().readCompact(buffer);
        state.season().read(buffer);
        state.setLastOffset(offset);
        // After the window's appends, which moved the statistics: the stored ones are the sensor's.
        state.restoreStats(statsCount, level, meanSquaredStep);
    }
}
