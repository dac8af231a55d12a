package dev.streamcast.sensor;

import java.nio.ByteBuffer;

/**
 * A sensor's recent scored readings, for the ops API's accuracy and chart: a ring of the last
 * {@code sensor.history.length} (reading, forecast made for it, naive forecast, model version, interval, anomaly
 * score), oldest at {@code start}. Kept in the sensor's state, so it moves with its partition.
 */
public final class ScoredHistory {

    /** Bytes of one stored entry: timestamp, actual, forecast, naive, version, lower, upper, anomaly score. */
    static final int ENTRY_BYTES = 64;

    private final long[] time;
    private final double[] actual;
    private final double[] forecast;
    private final double[] naive;
    private final long[] version;
    private final double[] lower;
    private final double[] upper;
    private final double[] score;
    private int size;
    private int start;

    ScoredHistory(int length) {
        time = new long[length];
        actual = new double[length];
        forecast = new double[length];
        naive = new double[length];
        version = new long[length];
        lower = new double[length];
        upper = new double[length];
        score = new double[length];
    }

    /**
     * One scored reading: the value, the forecast published for it, the naive forecast, the model version, the
     * forecast's interval and the reading's anomaly score (NaN in entries stored before intervals existed).
     */
    public record Scored(long timestamp, double actual, double forecast, double naive, long modelVersion,
                         double lower, double upper, double anomalyScore) {
        public double error() {
            return actual - forecast;
        }

        public double naiveError() {
            return actual - naive;
        }
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
        start = 0;
    }

    /** Records a scored reading, dropping the oldest entry when full. */
    void add(long timestamp, double actualValue, double forecastValue, double naiveValue, long modelVersion,
             double lowerBound, double upperBound, double anomalyScore) {
        int capacity = time.length;
        if (capacity == 0) {
            return;
        }
        int slot = (start + size) % capacity;
        if (size == capacity) {
            start = (start + 1) % capacity;
        } else {
            size++;
        }
        time[slot] = timestamp;
        actual[slot] = actualValue;
        forecast[slot] = forecastValue;
        naive[slot] = naiveValue;
        version[slot] = modelVersion;
        lower[slot] = lowerBound;
        upper[slot] = upperBound;
        score[slot] = anomalyScore;
    }

    /** The entries, oldest first. */
    Scored[] entries() {
        Scored[] out = new Scored[size];
        for (int k = 0; k < size; k++) {
            int i = (start + k) % time.length;
            out[k] = new Scored(time[i], actual[i], forecast[i], naive[i], version[i], lower[i], upper[i], score[i]);
        }
        return out;
    }

    /** {model RMSE, model MAE, naive RMSE, naive MAE} over the entries; NaN when empty. */
    double[] rollingErrors() {
        if (size == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        double sq = 0;
        double abs = 0;
        double naiveSq = 0;
        double naiveAbs = 0;
        for (int k = 0; k < size; k++) {
            int i = (start + k) % time.length;
            double e = actual[i] - forecast[i];
            double n = actual[i] - naive[i];
            sq += e * e;
            abs += Math.abs(e);
            naiveSq += n * n;
            naiveAbs += Math.abs(n);
        }
        return new double[] {Math.sqrt(sq / size), abs / size, Math.sqrt(naiveSq / size), naiveAbs / size};
    }

    int bytes() {
        return 8 + size * ENTRY_BYTES;
    }

    /** length, size, size x entry, oldest first. */
    void write(ByteBuffer buffer) {
        buffer.putInt(time.length).putInt(size);
        for (int k = 0; k < size; k++) {
            int i = (start + k) % time.length;
            buffer.putLong(time[i]).putDouble(actual[i]).putDouble(forecast[i]).putDouble(naive[i])
                    .putLong(version[i]).putDouble(lower[i]).putDouble(upper[i]).putDouble(score[i]);
        }
    }

    /**
     * Reads what {@link #write} wrote (or, {@code withIntervals} false, the 40-byte entries of the formats before
     * intervals). A history stored longer than this one keeps its most recent entries.
     */
    void read(ByteBuffer buffer) {
        clear();
        buffer.getInt();
        int stored = buffer.getInt();
        int skip = Math.max(0, stored - time.length);
        buffer.position(buffer.position() + skip * ENTRY_BYTES);
        for (int k = 0; k < stored - skip; k++) {
            time[k] = buffer.getLong();
            actual[k] = buffer.getDouble();
            forecast[k] = buffer.getDouble();
            naive[k] = buffer.getDouble();
            version[k] = buffer.getLong();
            lower[k] = buffer.getDouble();
            upper[k] = buffer.getDouble();
            score[k] = buffer.getDouble();
        }
        size = stored - skip;
    }
}
