package dev.streamcast.sensor;

import dev.streamcast.model.SensorSeason;
import java.nio.ByteBuffer;

/**
 * How a sensor's state is stored: the value of its record in the sensor-state store and that store's changelog.
 *
 * <pre>
 *  format 10  format (byte), last offset, statistics (count, level, mean squared step), window length, count,
 *             count x (timestamp, value, the season's offset it arrived with); the pending forecast
 *             ({@link PendingForecast#write}); step sum, step weight; the floor's model squares, naive squares,
 *             scored count and engaged flag; the calibration set ({@link CalibrationErrors#write}); the history
 *             ({@link ScoredHistory#write}); the mean interval; the horizon's pending steps
 *             ({@link PendingHorizon#write}); the step errors ({@link StepErrorMeans#write}); the local correction;
 *             the resolution ({@link ReadingResolution#write}); the season ({@link SensorSeason#write}).
 *  format 8   the same without the window's offsets, ending before the season (written by 0.1.0): read with the
 *             season learned again. Format 9 was written only by snapshots of 0.2.0 and is refused.
 * </pre>
 *
 * <p>A state written with another window, history or horizon length (the configuration changed between runs) keeps
 * its most recent entries that fit. Older formats are refused: no release wrote them.
 */
public final class SensorStateCodec {

    private static final byte FORMAT = 10;
    /** The format of 0.1.0, before the sensor's cadence and season and the window's offsets were kept. */
    private static final byte FORMAT_WITHOUT_SEASON = 8;

    private SensorStateCodec() {
    }

    /** The stored form of {@code state}. */
    public static byte[] encode(SensorState state) {
        int count = state.count();
        ByteBuffer buffer = ByteBuffer.allocate(1 + 8 + 24 + 4 + 4 + count * 24 + PendingForecast.BYTES + 16 + 16 + 4
                + 1
                + state.errors().bytes() + state.scoredHistory().bytes() + 8 + state.pending().horizon().bytes()
                + state.stepErrors().bytes() + state.correction().bytes() + ReadingResolution.BYTES
                + state.season().bytes());
        buffer.put(FORMAT).putLong(state.lastOffset()).putLong(state.statsCount()).putDouble(state.level())
                .putDouble(state.meanSquaredStep()).putInt(state.windowLength()).putInt(count);
        long[] timestamps = state.timestamps();
        double[] values = state.values();
        double[] offsets = state.offsets();
        for (int k = 0; k < count; k++) {
            buffer.putLong(timestamps[k]).putDouble(values[k]).putDouble(offsets[k]);
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
        state.season().write(buffer);
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
        if (format != FORMAT && format != FORMAT_WITHOUT_SEASON) {
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
            state.append(buffer.getLong(), buffer.getDouble(), format == FORMAT ? buffer.getDouble() : 0);
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
        if (format != FORMAT_WITHOUT_SEASON) {
            state.season().read(buffer);
        }
        if (format != FORMAT) {
            state.rebaseWindowOffsets();
        }
        state.setLastOffset(offset);
        // After the window's appends, which moved the statistics: the stored ones are the sensor's.
        state.restoreStats(statsCount, level, meanSquaredStep);
    }
}
