package dev.streamcast.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the stream keeps per sensor: the last readings (oldest first) with their timestamps, and the forecast
 * made from them that the next reading will be scored against.
 */
public final class SensorState {

    private static final byte FORMAT = 1;

    private final double[] values;
    private final long[] timestamps;
    private int count;
    private boolean pending;
    private double pendingForecast;
    private long pendingVersion;

    public SensorState(int windowLength) {
        values = new double[windowLength];
        timestamps = new long[windowLength];
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

    /** Forgets the window, e.g. after a silence longer than window.max-gap. */
    public void restart() {
        count = 0;
        pending = false;
    }

    public boolean hasPending() {
        return pending;
    }

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

    public void clearPending() {
        pending = false;
    }

    /** Binary layout: format, window length, count, count x (timestamp, value), pending flag, forecast, version. */
    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + 4 + count * 16 + 1 + 8 + 8);
        buffer.put(FORMAT).putInt(values.length).putInt(count);
        for (int k = 0; k < count; k++) {
            buffer.putLong(timestamps[k]).putDouble(values[k]);
        }
        buffer.put((byte) (pending ? 1 : 0)).putDouble(pendingForecast).putLong(pendingVersion);
        return buffer.array();
    }

    /**
     * Reads a stored state. A state written with another window length (window.length changed between runs)
     * keeps its most recent readings that fit.
     */
    public static SensorState fromBytes(byte[] bytes, int windowLength) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte format = buffer.get();
        if (format != FORMAT) {
            throw new IllegalStateException("unknown sensor state format " + format);
        }
        buffer.getInt();
        int storedCount = buffer.getInt();
        SensorState state = new SensorState(windowLength);
        for (int k = 0; k < storedCount; k++) {
            state.append(buffer.getLong(), buffer.getDouble());
        }
        boolean wasPending = buffer.get() == 1;
        double forecast = buffer.getDouble();
        long version = buffer.getLong();
        if (wasPending && storedCount == windowLength) {
            state.setPending(forecast, version);
        }
        return state;
    }

    @Override
    public String toString() {
        return "SensorState" + Arrays.toString(Arrays.copyOf(values, count));
    }
}
