package dev.streamcast.sensor;

import dev.streamcast.model.Scaling;

/**
 * The per-sensor floor: a sensor whose model forecasts have recently been worse than the naive forecast (the last
 * value) is served the naive forecast until the model wins again. The gate that accepts a model protects the
 * average over all sensors, not each one.
 *
 * <p>The rule, with N = {@code forecast.floor.readings} (0 disables the floor). Over the sensor's scored readings
 * for which a model forecast existed, whether it was published or not, keep exponentially weighted sums of squared
 * errors with a memory of about N readings, each error clipped to {@value #ERROR_CLIP} typical steps u of the sensor
 * ({@link Scaling#errorUnit}):
 * <pre>
 *   M &lt;- (1 - 1/N) M + clip(actual - model forecast)^2
 *   B &lt;- (1 - 1/N) B + clip(actual - last value)^2,        clip(e) = max(-6 u, min(6 u, e))
 * </pre>
 * Once at least N such readings have been scored, the floor engages when the model is clearly worse,
 * M &gt; (1 + {@value #ENGAGE_MARGIN}) B (its recent mean squared error more than 10 % above the naive forecast's),
 * and releases, the model being served again, as soon as it is no worse: M &lt; B. Over about N readings the ratio
 * M / B of two equally good forecasters wanders by about 10 % by chance alone; engaging at M &gt; B instead served
 * the last value 43-64 % of the time on the public temperature series, whose model and naive forecasts are about
 * equally good, and every switch on a chance lead cost skill (5 of 10 series within 0.03 of their offline
 * reference, against 8 with the margin). Ties go to the model, which the gate accepted as the better one over all
 * sensors. The sums carry over a new model version: the old version's errors fade within about N readings.
 * Both forecasters keep being scored while the floor serves naive, so the model can win its sensor back.
 *
 * <p>Why the clip: unclipped, one storm's error dominated both sums for the next N readings and moved their ratio by
 * chance, and the floor then engaged on the day after the storm, exactly when the last value (the storm's rain) is
 * the worst forecast there is. On seattle.precipitation one such reading (55.9 mm carried over, 1.0 mm fell) cost
 * 0.04 of skill. Clipped, an outlier counts like any large error and the floor decides on typical days.
 */
final class ForecastFloor {

    /** Errors count at most this many typical steps of the sensor, as the training targets do. */
    static final double ERROR_CLIP = Scaling.Sensor.DEFAULT_CLIP;

    /** The floor engages once the model's weighted MSE is above (1 + this) times the naive forecast's. */
    static final double ENGAGE_MARGIN = 0.1;

    private final int readings;
    private final double keep;

    /** @param readings N above; 0: never serve naive because of the floor */
    public ForecastFloor(int readings) {
        if (readings < 0) {
            throw new IllegalArgumentException("forecast.floor.readings: expected 0 or more, got " + readings);
        }
        this.readings = readings;
        this.keep = readings == 0 ? 0 : 1 - 1.0 / readings;
    }

    /**
     * Scores the model's forecast and the naive one against the reading that followed, and updates the decision. Call
     * before the window takes the reading (the window and statistics the forecasts were made from).
     */
    public void score(SensorState state, double modelForecast, double naiveForecast, double actual) {
        if (readings == 0 || !Double.isFinite(modelForecast)) {
            return;
        }
        double limit = ERROR_CLIP * Scaling.errorUnit(state.values(), 0, state.windowLength(), state.stepRms());
        double model = Math.max(-limit, Math.min(limit, actual - modelForecast));
        double naive = Math.max(-limit, Math.min(limit, actual - naiveForecast));
        double modelSquares = keep * state.floorModelSquares() + model * model;
        double naiveSquares = keep * state.floorNaiveSquares() + naive * naive;
        int scored = state.floorScored() == Integer.MAX_VALUE ? Integer.MAX_VALUE : state.floorScored() + 1;
        boolean engaged = state.floorEngaged();
        if (scored >= readings) {
            if (modelSquares > (1 + ENGAGE_MARGIN) * naiveSquares) {
                engaged = true;
            } else if (modelSquares < naiveSquares) {
                engaged = false;
            }
        }
        state.setFloor(modelSquares, naiveSquares, scored, engaged);
    }

    /** Whether the sensor's next forecast is the naive one because of the floor. */
    public boolean servesNaive(SensorState state) {
        return readings > 0 && state.floorEngaged();
    }
}
