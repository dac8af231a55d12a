package dev.streamcast.stream;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the topology did, shared by its processors and read by the ops surface. Counters, not labels
 * per sensor: thousands of sensors must not become thousands of series.
 */
public final class StreamMetrics {

    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder forecasts = new LongAdder();
    private final LongAdder naiveForecasts = new LongAdder();
    private final LongAdder windowRestarts = new LongAdder();
    private final Map<RejectReason, LongAdder> refused = new EnumMap<>(RejectReason.class);
    private final ErrorSums model = new ErrorSums();
    private final ErrorSums naive = new ErrorSums();

    public StreamMetrics() {
        for (RejectReason r : RejectReason.values()) {
            refused.put(r, new LongAdder());
        }
    }

    /** Running sums of forecast errors: count, squared and absolute. */
    public static final class ErrorSums {
        private final LongAdder count = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder squared = new java.util.concurrent.atomic.DoubleAdder();
        private final java.util.concurrent.atomic.DoubleAdder absolute = new java.util.concurrent.atomic.DoubleAdder();

        void add(double error) {
            count.increment();
            squared.add(error * error);
            absolute.add(Math.abs(error));
        }

        public long count() {
            return count.sum();
        }

        public double rmse() {
            long n = count.sum();
            return n == 0 ? Double.NaN : Math.sqrt(squared.sum() / n);
        }

        public double mae() {
            long n = count.sum();
            return n == 0 ? Double.NaN : absolute.sum() / n;
        }
    }

    void recordAccepted() {
        accepted.increment();
    }

    void recordDuplicate() {
        duplicates.increment();
    }

    void recordRefused(RejectReason reason) {
        refused.get(reason).increment();
    }

    void recordForecast(boolean isNaive) {
        forecasts.increment();
        if (isNaive) {
            naiveForecasts.increment();
        }
    }

    void recordWindowRestart() {
        windowRestarts.increment();
    }

    void recordScored(double forecast, double naiveForecast, double actual) {
        model.add(actual - forecast);
        naive.add(actual - naiveForecast);
    }

    public long accepted() {
        return accepted.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long forecasts() {
        return forecasts.sum();
    }

    public long naiveForecasts() {
        return naiveForecasts.sum();
    }

    public long windowRestarts() {
        return windowRestarts.sum();
    }

    public long refused(RejectReason reason) {
        return refused.get(reason).sum();
    }

    public long refusedTotal() {
        return refused.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Errors of the forecasts published, against the values that followed. */
    public ErrorSums modelErrors() {
        return model;
    }

    /** Errors the naive forecast (the last value) would have made on the same readings. */
    public ErrorSums naiveErrors() {
        return naive;
    }
}
