package dev.streamcast.stream;

import dev.streamcast.model.SensorStats;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the stream keeps per sensor: the last readings (oldest first) with their timestamps; the forecast made
 * from them that the next reading will be scored against; and a short history of scored readings (reading,
 * forecast made for it, the naive forecast, model version) from which the ops API shows recent accuracy.
 */
public final class SensorState {

    private static final byte FORMAT = 4;
    /** Without the sensor's statistics: read with statistics of the window alone. */
    private static final byte FORMAT_WITHOUT_STATS = 3;
    /** The format before the last reading's offset was kept: read as if the offset were unknown. */
    private static final byte FORMAT_WITHOUT_OFFSET = 2;

    private final double[] values;
    private final long[] timestamps;
    private int count;
    private boolean pending;
    private double pendingForecast;
    private long pendingVersion;
    // The readings topic offset of the last accepted reading (-1: unknown). Readings that carry no timestamp of their
    // own share the record's, and a producer batch shares one millisecond: the offset tells a new reading from a
    // redelivered one where the timestamp cannot.
    private long lastOffset = -1;
    // The sensor's running statistics (model.SensorStats, kept here as primitives so the per-reading path does not
    // allocate): readings seen since the window last started, the running level and mean squared step.
    private long statsCount;
    private double level;
    private double meanSquaredStep;

    // History ring of scored readings, oldest at historyStart.
    private final long[] historyTime;
    private final double[] historyActual;
    private final double[] historyForecast;
    private final double[] historyNaive;
    private final long[] historyVersion;
    private int historySize;
    private int historyStart;

    public SensorState(int windowLength, int historyLength) {
        values = new double[windowLength];
        timestamps = new long[windowLength];
        historyTime = new long[historyLength];
        historyActual = new double[historyLength];
        historyForecast = new double[historyLength];
        historyNaive = new double[historyLength];
        historyVersion = new long[historyLength];
    }

    public int windowLength() {
        return values.length;
    }

    public int count() {
        return count;
    }

    public boolean isFull() {
        return count == values.length;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public double lastValue() {
        return values[count - 1];
    }

    public long lastTimestamp() {
        return timestamps[count - 1];
    }

    /** The window's values, oldest first; only the first {@link #count()} are meaningful. */
    public double[] values() {
        return values;
    }

    public long[] timestamps() {
        return timestamps;
    }

    public long lastOffset() {
        return lastOffset;
    }

    public void setLastOffset(long offset) {
        lastOffset = offset;
    }

    /** The sensor's running level (SensorStats.level) after its last reading. */
    public double level() {
        return level;
    }

    /** The sensor's typical step (SensorStats.stepRms) after its last reading. */
    public double stepRms() {
        return Math.sqrt(meanSquaredStep);
    }

    /** Folds a new reading into the running statistics (before it is appended to the window). */
    public void updateStats(double value) {
        double last = count == 0 ? 0 : values[count - 1];
        double q = SensorStats.nextMeanSquaredStep(statsCount, meanSquaredStep, last, value);
        level = SensorStats.nextLevel(statsCount, level, value);
        meanSquaredStep = q;
        statsCount++;
    }

    /** Whether (timestamp, value) is one of the readings in the window: a redelivered reading. */
    public boolean contains(long timestamp, double value) {
        for (int k = 0; k < count; k++) {
            if (timestamps[k] == timestamp && Double.compare(values[k], value) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Appends a reading, dropping the oldest when the window is full. */
    public void append(long timestamp, double value) {
        if (count == values.length) {
            System.arraycopy(values, 1, values, 0, count - 1);
            System.arraycopy(timestamps, 1, timestamps, 0, count - 1);
            count--;
        }
        values[count] = value;
        timestamps[count] = timestamp;
        count++;
    }

    /** Forgets the window and its statistics, e.g. after a silence longer than window.max-gap; the history stays. */
    public void restart() {
        count = 0;
        pending = false;
        resetStats();
    }

    private void resetStats() {
        statsCount = 0;
        level = 0;
        meanSquaredStep = 0;
    }

    public boolean hasPending() {
        return pending;
    }

    /** The forecast of the next reading (the latest forecast published for this sensor). */
    public double pendingForecast() {
        return pendingForecast;
    }

    public long pendingVersion() {
        return pendingVersion;
    }

    public void setPending(double forecast, long modelVersion) {
        pending = true;
        pendingForecast = forecast;
        pendingVersion = modelVersion;
    }

    /** Records a scored reading in the history, dropping the oldest entry when full. */
    public void addScored(long timestamp, double actual, double forecast, double naive, long modelVersion) {
        int capacity = historyTime.length;
        if (capacity == 0) {
            return;
        }
        int slot = (historyStart + historySize) % capacity;
        if (historySize == capacity) {
            historyStart = (historyStart + 1) % capacity;
        } else {
            historySize++;
        }
        historyTime[slot] = timestamp;
        historyActual[slot] = actual;
        historyForecast[slot] = forecast;
        historyNaive[slot] = naive;
        historyVersion[slot] = modelVersion;
    }

    /** One scored reading: the value, the forecast published for it, the naive forecast, the model version. */
    public record Scored(long timestamp, double actual, double forecast, double naive, long modelVersion) {
        public double error() {
            return actual - forecast;
        }

        public double naiveError() {
            return actual - naive;
        }
    }

    /** The scored readings in the history, oldest first. */
    public Scored[] history() {
        Scored[] out = new Scored[historySize];
        for (int k = 0; k < historySize; k++) {
            int i = (historyStart + k) % historyTime.length;
            out[k] = new Scored(historyTime[i], historyActual[i], historyForecast[i], historyNaive[i], historyVersion[i]);
        }
        return out;
    }

    /** Rolling accuracy over the history: {model RMSE, model MAE, naive RMSE, naive MAE}; NaN when empty. */
    public double[] rollingErrors() {
        double sq = 0;
        double abs = 0;
        double naiveSq = 0;
        double naiveAbs = 0;
        for (int k = 0; k < historySize; k++) {
            int i = (historyStart + k) % historyTime.length;
            double e = historyActual[i] - historyForecast[i];
            double n = historyActual[i] - historyNaive[i];
            sq += e * e;
            abs += Math.abs(e);
            naiveSq += n * n;
            naiveAbs += Math.abs(n);
        }
        if (historySize == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[] {Math.sqrt(sq / historySize), abs / historySize, Math.sqrt(naiveSq / historySize),
            naiveAbs / historySize};
    }

    /**
     * Binary layout: format, last offset, statistics (count, level, mean squared step), window length, count, count x (timestamp, value), pending flag, forecast,
     * version, history length, history size, size x (timestamp, actual, forecast, naive, version), oldest first.
     */
    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(1 + 8 + 24 + 4 + 4 + count * 16 + 1 + 8 + 8 + 4 + 4 + historySize * 40);
        buffer.put(FORMAT).putLong(lastOffset).putLong(statsCount).putDouble(level).putDouble(meanSquaredStep)
                .putInt(values.length).putInt(count);
        for (int k = 0; k < count; k++) {
            buffer.putLong(timestamps[k]).putDouble(values[k]);
        }
        buffer.put((byte) (pending ? 1 : 0)).putDouble(pendingForecast).putLong(pendingVersion);
        buffer.putInt(historyTime.length).putInt(historySize);
        for (int k = 0; k < historySize; k++) {
            int i = (historyStart + k) % historyTime.length;
            buffer.putLong(historyTime[i]).putDouble(historyActual[i]).putDouble(historyForecast[i])
                    .putDouble(historyNaive[i]).putLong(historyVersion[i]);
        }
        return buffer.array();
    }

    /**
     * Reads a stored state. A state written with another window or history length (the configuration changed
     * between runs) keeps its most recent entries that fit.
     */
    public static SensorState fromBytes(byte[] bytes, int windowLength, int historyLength) {
        SensorState state = new SensorState(windowLength, historyLength);
        state.load(bytes);
        return state;
    }

    /** Forgets everything: the state of a sensor never seen. */
    public void clear() {
        count = 0;
        pending = false;
        pendingForecast = 0;
        pendingVersion = 0;
        lastOffset = -1;
        resetStats();
        historySize = 0;
        historyStart = 0;
    }

    /**
     * Replaces this state with a stored one ({@link #fromBytes} into an existing instance: the per-reading path
     * reuses one instead of allocating seven arrays per reading).
     */
    public void load(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte format = buffer.get();
        if (format != FORMAT && format != FORMAT_WITHOUT_STATS && format != FORMAT_WITHOUT_OFFSET) {
            throw new IllegalStateException("unknown sensor state format " + format);
        }
        clear();
        long offset = format == FORMAT_WITHOUT_OFFSET ? -1 : buffer.getLong();
        boolean hasStats = format == FORMAT;
        long storedStatsCount = hasStats ? buffer.getLong() : 0;
        double storedLevel = hasStats ? buffer.getDouble() : 0;
        double storedQ = hasStats ? buffer.getDouble() : 0;
        buffer.getInt();
        int storedCount = buffer.getInt();
        for (int k = 0; k < storedCount; k++) {
            append(buffer.getLong(), buffer.getDouble());
        }
        boolean wasPending = buffer.get() == 1;
        double forecast = buffer.getDouble();
        long version = buffer.getLong();
        if (wasPending && storedCount == values.length) {
            setPending(forecast, version);
        }
        buffer.getInt();
        int storedHistory = buffer.getInt();
        // Entries are stored oldest first; when there are more than fit, the oldest are skipped.
        int skip = Math.max(0, storedHistory - historyTime.length);
        buffer.position(buffer.position() + skip * 40);
        for (int k = 0; k < storedHistory - skip; k++) {
            historyTime[k] = buffer.getLong();
            historyActual[k] = buffer.getDouble();
            historyForecast[k] = buffer.getDouble();
            historyNaive[k] = buffer.getDouble();
            historyVersion[k] = buffer.getLong();
        }
        historySize = storedHistory - skip;
        lastOffset = offset;
        if (hasStats) {
            statsCount = storedStatsCount;
            level = storedLevel;
            meanSquaredStep = storedQ;
        } else {
            // Kept by an earlier version: the window is all the history there is.
            statsCount = count;
            level = SensorStats.levelOf(values, 0, count);
            double rms = SensorStats.stepRmsOf(values, 0, count);
            meanSquaredStep = rms * rms;
        }
    }

    @Override
    public String toString() {
        return "SensorState" + Arrays.toString(Arrays.copyOf(values, count));
    }
}
