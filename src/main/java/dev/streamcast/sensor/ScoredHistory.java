package dev.streamcast.sensor;

import java.nio.ByteBuffer;

/**
 * A sensor's recent scored readings, for the ops API's accuracy and chart: a ring of the last
 * {@code sensor.history.length} (reading, forecast made for it, naive forecast, model version, interval, anomaly
 * score), oldest at {@code start}. Kept in the sensor's state, so it moves with its partition.
 *
 * <p>What it keeps is what the ops API shows, not the published records (those are the accuracy topic's): a forecast
 * that is not on the readings' grid ({@link ReadingResolution}) is kept as the reading minus its error rounded to a
 * float, a bound off the grid as the forecast plus its distance rounded to a float, an anomaly score as a float unless
 * it is a rank among a full calibration set (k / 201, kept exactly): a relative change of about 10^-7 of the error,
 * the interval or the score. So an entry is stored in about 15 bytes instead of 64 ({@link #writeCompact}), and reads
 * back exactly as it was kept.
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

    // The grid of the sensor's readings: values on it are stored as whole steps, and kept exactly.
    private final ReadingResolution resolution;

    ScoredHistory(int length, ReadingResolution resolution) {
        this.resolution = resolution;
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
        forecast[slot] = forecastValue == naiveValue ? naiveValue : kept(forecastValue, actualValue);
        naive[slot] = naiveValue;
        version[slot] = modelVersion;
        lower[slot] = kept(lowerBound, forecast[slot]);
        upper[slot] = kept(upperBound, forecast[slot]);
        score[slot] = !Double.isFinite(anomalyScore) || rank(anomalyScore) >= 0 ? anomalyScore : (float) anomalyScore;
    }

    /** A value as the history keeps it: as it is on the readings' grid, else the reference plus a float distance. */
    private double kept(double value, double reference) {
        if (!Double.isFinite(value) || !Double.isFinite(reference) || resolution.onGrid(value)) {
            return value;
        }
        return reference + (float) (value - reference);
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

    // The fourth form (StoredValues) of the reading: the window's value at its place (the last entries are the
    // window's readings); of the upper bound: NaN with a NaN lower bound, else the lower bound mirrored.
    private static final int IN_WINDOW = StoredValues.FOURTH;
    private static final int MIRRORED = StoredValues.FOURTH;
    // The second flag byte's bits.
    private static final int NAIVE_IS_PREVIOUS = 1;
    private static final int SAME_VERSION = 2;
    private static final int FLOAT_SCORE = 4;
    private static final int DOUBLE_SCORE = 8;
    private static final int RANK_SCORE = 16;
    // A full calibration set's scores are k / RANKS (ErrorCalibration.anomalyScore), kept exactly as a varint k.
    private static final double RANKS = CalibrationErrors.SENSOR_ERRORS + 1.0;

    /** k when the score is k / RANKS exactly (the score against a full calibration set), else -1. */
    private static long rank(double anomalyScore) {
        long k = Math.round(anomalyScore * RANKS);
        return k >= 0 && k / RANKS == anomalyScore ? k : -1;
    }

    /** The most bytes {@link #writeCompact} writes. */
    int maxCompactBytes() {
        return 10 + size * (2 + 10 + 4 * 10 + 8 + 10 + 8);
    }

    /**
     * length, size (varints), then per entry, oldest first: two flag bytes, the timestamp (a varlong: from the
     * previous entry's plus {@code intervalMs}, the first from {@code referenceTimestamp}), the reading, the forecast
     * (against the reading), the lower and the upper bound (against the forecast), the naive forecast (unless the
     * previous reading), the model version (unless the previous entry's) and the anomaly score (a varint rank, a
     * float or a double). The first flag byte gives, two bits each, the forms ({@link StoredValues}) of the reading
     * (its fourth: the value at its place in {@code window[0..windowCount)}), the forecast, the lower bound and the
     * upper bound (its fourth: NaN with the lower, or the lower mirrored); grid steps count from the entry's reading
     * when on the grid, else from the last reading that was.
     */
    void writeCompact(ByteBuffer buffer, long referenceTimestamp, long intervalMs, double[] window, int windowCount) {
        Varints.write(time.length, buffer);
        Varints.write(size, buffer);
        long previousTime = referenceTimestamp;
        double previousActual = Double.NaN;
        long previousVersion = 0;
        long anchor = 0;
        for (int k = 0; k < size; k++) {
            int i = (start + k) % time.length;
            int place = windowCount - (size - k);
            int actualForm;
            if (place >= 0 && Double.doubleToRawLongBits(window[place]) == Double.doubleToRawLongBits(actual[i])) {
                actualForm = IN_WINDOW;
            } else {
                actualForm = Double.isNaN(actual[i]) ? StoredValues.AS_DOUBLE
                        : StoredValues.form(resolution, actual[i], previousActual);
            }
            long entryAnchor = resolution.onGrid(actual[i]) ? resolution.gridIndex(actual[i]) : anchor;
            int forecastForm = StoredValues.form(resolution, forecast[i], actual[i]);
            int lowerForm = StoredValues.form(resolution, lower[i], forecast[i]);
            int upperForm;
            if (Double.isNaN(upper[i])) {
                upperForm = Double.isNaN(lower[i]) ? MIRRORED : StoredValues.AS_DOUBLE;
            } else {
                upperForm = lowerForm != StoredValues.ON_GRID && StoredValues.mirrored(lower[i], forecast[i], upper[i])
                        ? MIRRORED : StoredValues.form(resolution, upper[i], forecast[i]);
            }
            int flags = 0;
            if (k > 0 && Double.doubleToRawLongBits(naive[i]) == Double.doubleToRawLongBits(previousActual)) {
                flags |= NAIVE_IS_PREVIOUS;
            }
            if (version[i] == previousVersion) {
                flags |= SAME_VERSION;
            }
            if (rank(score[i]) >= 0) {
                flags |= RANK_SCORE;
            } else if (Double.isFinite(score[i])) {
                flags |= (double) (float) score[i] == score[i] ? FLOAT_SCORE : DOUBLE_SCORE;
            } else if (!Double.isNaN(score[i])) {
                flags |= FLOAT_SCORE | DOUBLE_SCORE;
            }
            buffer.put((byte) (actualForm | forecastForm << 2 | lowerForm << 4 | upperForm << 6)).put((byte) flags);
            Varints.write(time[i] - previousTime - (k > 0 ? intervalMs : 0), buffer);
            if (actualForm != IN_WINDOW) {
                StoredValues.write(buffer, resolution, actualForm, actual[i], previousActual, anchor);
            }
            StoredValues.write(buffer, resolution, forecastForm, forecast[i], actual[i], entryAnchor);
            StoredValues.write(buffer, resolution, lowerForm, lower[i], forecast[i], entryAnchor);
            if (upperForm != MIRRORED) {
                StoredValues.write(buffer, resolution, upperForm, upper[i], forecast[i], entryAnchor);
            }
            if ((flags & NAIVE_IS_PREVIOUS) == 0) {
                buffer.putDouble(naive[i]);
            }
            if ((flags & SAME_VERSION) == 0) {
                Varints.write(version[i], buffer);
            }
            if ((flags & RANK_SCORE) != 0) {
                Varints.write(rank(score[i]), buffer);
            } else if ((flags & (FLOAT_SCORE | DOUBLE_SCORE)) == FLOAT_SCORE) {
                buffer.putFloat((float) score[i]);
            } else if ((flags & (FLOAT_SCORE | DOUBLE_SCORE)) != 0) {
                buffer.putDouble(score[i]);
            }
            previousTime = time[i];
            previousActual = actual[i];
            previousVersion = version[i];
            anchor = entryAnchor;
        }
    }

    /**
     * Reads what {@link #writeCompact} wrote, with the resolution already read (the grid the values were written on).
     * A history stored longer than this one keeps its most recent entries.
     */
    void readCompact(ByteBuffer buffer, long referenceTimestamp, long intervalMs, double[] window, int windowCount) {
        clear();
        Varints.readInt(buffer);
        int stored = Varints.readInt(buffer);
        long previousTime = referenceTimestamp;
        double previousActual = Double.NaN;
        long previousVersion = 0;
        long anchor = 0;
        int capacity = time.length;
        for (int k = 0; k < stored; k++) {
            int forms = buffer.get() & 0xff;
            int flags = buffer.get();
            long t = previousTime + (k > 0 ? intervalMs : 0) + Varints.read(buffer);
            int actualForm = forms & 3;
            double a = actualForm == IN_WINDOW ? window[windowCount - (stored - k)]
                    : StoredValues.read(buffer, resolution, actualForm, previousActual, anchor);
            if (resolution.onGrid(a)) {
                anchor = resolution.gridIndex(a);
            }
            double f = StoredValues.read(buffer, resolution, forms >> 2 & 3, a, anchor);
            double lo = StoredValues.read(buffer, resolution, forms >> 4 & 3, f, anchor);
            int upperForm = forms >> 6 & 3;
            double up = upperForm != MIRRORED ? StoredValues.read(buffer, resolution, upperForm, f, anchor)
                    : Double.isNaN(lo) ? Double.NaN : StoredValues.mirror(lo, f);
            double n = (flags & NAIVE_IS_PREVIOUS) != 0 ? previousActual : buffer.getDouble();
            long v = (flags & SAME_VERSION) != 0 ? previousVersion : Varints.read(buffer);
            int scoreForm = flags & (FLOAT_SCORE | DOUBLE_SCORE);
            double s;
            if ((flags & RANK_SCORE) != 0) {
                s = Varints.read(buffer) / RANKS;
            } else {
                s = scoreForm == 0 ? Double.NaN : scoreForm == FLOAT_SCORE ? buffer.getFloat() : buffer.getDouble();
            }
            if (capacity > 0) {
                int slot = (start + size) % capacity;
                if (size == capacity) {
                    start = (start + 1) % capacity;
                } else {
                    size++;
                }
                time[slot] = t;
                actual[slot] = a;
                forecast[slot] = f;
                naive[slot] = n;
                version[slot] = v;
                lower[slot] = lo;
                upper[slot] = up;
                score[slot] = s;
            }
            previousTime = t;
            previousActual = a;
            previousVersion = v;
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
