package dev.streamcast.backtest;

import java.util.Arrays;

/**
 * The interval, anomaly and floor figures of a series' scored accuracy records (or of several series pooled):
 * <pre>
 *   coverage    = #{lower &lt;= actual &lt;= upper} / #{records with an interval}
 *   meanWidth   = mean (upper - lower)
 *   naiveWidth  = 2 q,  q the level-quantile of |actual - last value| over the same readings: the naive
 *                 forecast's own calibrated interval, its errors being the series' steps
 *   anomalyRate = #{anomaly} / #{scored}
 *   floorShare  = #{"naiveReason":"floor"} / #{scored}
 * </pre>
 */
final class IntervalTally {

    private final double level;
    private long scored;
    private long withInterval;
    private long covered;
    private double widthSum;
    private long anomalies;
    private long floor;
    private double[] naiveErrors = new double[64];
    private int naiveCount;

    /** @param level the intervals' level, forecast.interval.level: the naive width's quantile */
    IntervalTally(double level) {
        this.level = level;
    }

    /** One scored reading: its actual, the naive forecast, its forecast's bounds (NaN: none), its flags. */
    void add(double actual, double naive, double lower, double upper, boolean anomaly, boolean servedByFloor) {
        scored++;
        if (Double.isFinite(lower) && Double.isFinite(upper)) {
            withInterval++;
            widthSum += upper - lower;
            if (actual >= lower && actual <= upper) {
                covered++;
            }
        }
        if (anomaly) {
            anomalies++;
        }
        if (servedByFloor) {
            floor++;
        }
        if (naiveCount == naiveErrors.length) {
            naiveErrors = Arrays.copyOf(naiveErrors, naiveCount * 2);
        }
        naiveErrors[naiveCount++] = Math.abs(actual - naive);
    }

    void addAll(IntervalTally other) {
        scored += other.scored;
        withInterval += other.withInterval;
        covered += other.covered;
        widthSum += other.widthSum;
        anomalies += other.anomalies;
        floor += other.floor;
        for (int i = 0; i < other.naiveCount; i++) {
            if (naiveCount == naiveErrors.length) {
                naiveErrors = Arrays.copyOf(naiveErrors, naiveCount * 2);
            }
            naiveErrors[naiveCount++] = other.naiveErrors[i];
        }
    }

    Double coverage() {
        return withInterval == 0 ? null : covered / (double) withInterval;
    }

    Double meanWidth() {
        return withInterval == 0 ? null : widthSum / withInterval;
    }

    /** 2 x the ceil(level n)-th smallest naive absolute error (the empirical level-quantile). */
    Double naiveWidth() {
        if (naiveCount == 0) {
            return null;
        }
        double[] sorted = Arrays.copyOf(naiveErrors, naiveCount);
        Arrays.sort(sorted);
        int rank = Math.max(1, (int) Math.ceil(level * naiveCount));
        return 2 * sorted[rank - 1];
    }

    Double anomalyRate() {
        return scored == 0 ? null : anomalies / (double) scored;
    }

    long anomalies() {
        return anomalies;
    }

    Double floorShare() {
        return scored == 0 ? null : floor / (double) scored;
    }
}
