package dev.streamcast.wire;


/**
 * Which forecaster's value was published for a reading, and why a naive one was: the {@code "model"} and
 * {@code "naiveReason"} fields of the forecast message, the API's {@code forecaster} and {@code naiveReason}, the
 * {@code reason} label of {@code streamcast_forecasts_naive_total}.
 */
public enum ForecastSource {
    /** The model's forecast. */
    LSTM("lstm", null),
    /** The last value: no model exists yet for the sensor's model id. */
    NAIVE_NO_MODEL("naive", "no-model"),
    /** The last value: the per-sensor floor ({@code ForecastFloor}) serves naive, the model having been worse. */
    NAIVE_FLOOR("naive", "floor"),
    /** The last value: the model's forecast was NaN or infinite. */
    NAIVE_NON_FINITE("naive", "non-finite");

    private static final ForecastSource[] BY_CODE = values();

    private final String forecaster;
    private final String naiveReason;

    ForecastSource(String forecaster, String naiveReason) {
        this.forecaster = forecaster;
        this.naiveReason = naiveReason;
    }

    /** "lstm" or "naive". */
    public String forecaster() {
        return forecaster;
    }

    /** "no-model", "floor" or "non-finite"; null for the model's own forecast. */
    public String naiveReason() {
        return naiveReason;
    }

    public boolean isNaive() {
        return this != LSTM;
    }

    /** The code stored in the sensor state. */
    public byte code() {
        return (byte) ordinal();
    }

    public static ForecastSource ofCode(byte code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalStateException("unknown forecast source code " + code + " in a sensor state");
        }
        return BY_CODE[code];
    }
}
