package dev.streamcast.sensor;

import dev.streamcast.wire.AccuracyMessage;

/**
 * What a task learns from its sensors' scored forecasts, in the one order it must be learned: the intervals'
 * calibration ({@link ErrorCalibration}, {@link HorizonCalibration}), the floor ({@link ForecastFloor}), the
 * history and the sensor's own correction of the network. The stream hands it each reading that resolves a forecast,
 * before the reading enters the sensor's window; it reads the rules back when the next forecast is made.
 *
 * <p>Why the order matters: a reading's anomaly score is its error's place among the sensor's earlier errors, so it
 * is computed before the error joins them; the floor, the calibration sets and the correction then learn from it,
 * each from the state as the forecast saw it (window, level and step size before the reading enters them).
 *
 * <p>One instance per task: the pooled errors a young sensor's interval borrows are the task's sensors'.
 */
public final class SensorCalibration {

    private final ErrorCalibration intervals;
    private final HorizonCalibration horizon;
    private final ForecastFloor floor;
    private final double anomalyLevel;
    // The local correction's forgetting factor lambda (model.LocalCorrection); 0: the correction is off.
    private final double correctionForgetting;

    /**
     * @param intervalLevel        interval.level: the share of readings an interval should cover
     * @param anomalyLevel         anomaly.level: the score from which a reading is an anomaly
     * @param horizonSteps         forecast.horizon
     * @param floorReadings        floor.readings: how many scored readings the floor compares
     * @param correctionForgetting model.correction's forgetting factor; 0: off
     */
    public SensorCalibration(double intervalLevel, double anomalyLevel, int horizonSteps, int floorReadings,
                             double correctionForgetting) {
        this.intervals = new ErrorCalibration(intervalLevel, anomalyLevel);
        this.horizon = new HorizonCalibration(intervalLevel, horizonSteps);
        this.floor = new ForecastFloor(floorReadings);
        this.anomalyLevel = anomalyLevel;
        this.correctionForgetting = correctionForgetting;
    }

    /**
     * Scores the sensor's pending forecast (step 1) against {@code value}, read at {@code timestamp}, and learns from
     * it. Fills {@code accuracy} (already started with the reading) with the forecast, its interval, who made it and
     * the anomaly score, then, in order: the floor's sums, the horizon's and the intervals' error sets, the history,
     * the correction.
     *
     * @param adjustedValue  the reading with the sensor's season taken out
     * @param adjustedWindow the window as the forecast saw it, season taken out
     * @return whether the reading is an anomaly
     */
    public boolean scoreNext(SensorState state, long timestamp, double value, double adjustedValue,
                             double[] adjustedWindow, AccuracyMessage.Content accuracy) {
        PendingForecast pending = state.pending();
        double absoluteError = Math.abs(value - pending.forecast());
        double anomalyScore = intervals.anomalyScore(state, absoluteError);
        boolean anomaly = anomalyScore >= anomalyLevel;
        accuracy.forecast(1, pending.forecast(), pending.lower(), pending.upper())
                .madeBy(pending.version(), pending.source()).anomaly(anomalyScore, anomaly)
                .modelForecast(pending.modelForecast());
        // The floor's naive forecast is the one it would serve: the last value moved by the season's step.
        double lastAdjusted = state.season().towardsLevel(state.lastAdjusted(), 1);
        double seasonalNaive = lastAdjusted + (value - adjustedValue);
        floor.score(state, pending.modelForecast(), seasonalNaive, value);
        horizon.add(state, 1, absoluteError, ErrorCalibration.scale(state));
        intervals.add(state, absoluteError, anomaly);
        state.addScored(timestamp, value, pending.forecast(), state.lastValue(), pending.version(), pending.lower(),
                pending.upper(), anomalyScore);
        // Anomalies included: the clip of its target bounds what one outlier does, while leaving out the tail would
        // bias the correction towards the bulk (rain: a correction that never saw the storms learned to forecast
        // less rain; seattle.precipitation's skill was +0.164 without a correction, +0.123 with one that left its
        // anomalies out).
        if (correctionForgetting > 0) {
            state.correction().learn(adjustedWindow, 0, state.level(), state.stepRms(), adjustedValue,
                    correctionForgetting);
        }
        return anomaly;
    }

    /**
     * Scores step {@code step} >= 2 of the forecast made {@code step} readings ago against {@code value}, filling
     * {@code accuracy} (already started with the reading), and learns how the sensor's errors grow with the step.
     */
    public void scoreStep(SensorState state, int step, double value, AccuracyMessage.Content accuracy) {
        PendingHorizon pending = state.pending().horizon();
        double forecast = pending.forecast(step, step);
        accuracy.forecast(step, forecast, pending.lower(step, step), pending.upper(step, step))
                .madeBy(pending.version(step), pending.source(step));
        horizon.add(state, step, Math.abs(value - forecast), ErrorCalibration.scale(state));
    }

    /** Half the width of the sensor's next one-step interval. */
    public double halfWidth(SensorState state) {
        return intervals.halfWidth(state);
    }

    /** How the half-width grows with the step: index h for step h ({@link HorizonCalibration#growth}). */
    public double[] growth(SensorState state) {
        return horizon.growth(state);
    }

    /** Whether the floor serves the naive forecast in place of the model's for this sensor. */
    public boolean servesNaive(SensorState state) {
        return floor.servesNaive(state);
    }

    /** Whether the correction of the network's forecasts is on. */
    public boolean corrects() {
        return correctionForgetting > 0;
    }

    /** model.correction's forgetting factor. */
    public double correctionForgetting() {
        return correctionForgetting;
    }
}
