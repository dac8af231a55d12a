package dev.streamcast.bench.e2e;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Latencies of received forecasts with the timestamp of the reading each answers, kept as primitive arrays (a
 * minute at 5,000 readings/s is 300,000 pairs). Written by one thread; read by another only after the writer has
 * stopped (a Thread.join orders the two).
 */
final class LatencySamples {

    private long[] timestamps = new long[1 << 16];
    private int[] latenciesMs = new int[1 << 16];
    private boolean[] naive = new boolean[1 << 16];
    private int size;

    void add(long timestamp, long latencyMs, boolean naiveForecast) {
        if (size == timestamps.length) {
            int capacity = size * 2;
            timestamps = Arrays.copyOf(timestamps, capacity);
            latenciesMs = Arrays.copyOf(latenciesMs, capacity);
            naive = Arrays.copyOf(naive, capacity);
        }
        timestamps[size] = timestamp;
        latenciesMs[size] = (int) Math.min(Integer.MAX_VALUE, latencyMs);
        naive[size] = naiveForecast;
        size++;
    }

    int size() {
        return size;
    }

    /** The reading's timestamp of sample {@code k}, in ms. */
    long timestamp(int k) {
        return timestamps[k];
    }

    /** The latency of sample {@code k}, in ms. */
    int latencyMs(int k) {
        return latenciesMs[k];
    }

    /** The latencies of the forecasts whose reading's timestamp passes {@code include}, sorted ascending. */
    int[] sortedLatencies(LongPredicate include) {
        int[] out = new int[size];
        int n = 0;
        for (int k = 0; k < size; k++) {
            if (include.test(timestamps[k])) {
                out[n++] = latenciesMs[k];
            }
        }
        int[] selected = Arrays.copyOf(out, n);
        Arrays.sort(selected);
        return selected;
    }

    /** How many of the forecasts whose reading's timestamp passes {@code include} were naive. */
    long naiveCount(LongPredicate include) {
        long n = 0;
        for (int k = 0; k < size; k++) {
            if (naive[k] && include.test(timestamps[k])) {
                n++;
            }
        }
        return n;
    }

    /**
     * The nearest-rank percentile {@code p} (0 &lt; p &lt;= 1) of ascending {@code sorted}: the smallest value with at
     * least a fraction p of the values at or below it. NaN when there are none.
     */
    static double percentile(int[] sorted, double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("percentile must be in (0, 1], got " + p);
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
