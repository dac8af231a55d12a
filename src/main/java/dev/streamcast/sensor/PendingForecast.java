package dev.streamcast.sensor;

import dev.streamcast.wire.ForecastSource;
import java.nio.ByteBuffer;

/**
 * The forecast a sensor's next reading will be scored against, as published: its value and interval, the model
 * version and forecaster that served it, and the model's own forecast (scored even while the floor serves naive);
 * with the steps 2..H of this and the earlier forecasts still waiting for their readings ({@link PendingHorizon}).
 */
public final class PendingForecast {

    private boolean present;
    private double forecast;
    private long version;
    private double lower = Double.NaN;
    private double upper = Double.NaN;
    // NaN: no model forecast was made.
    private double modelForecast = Double.NaN;
    private ForecastSource source = ForecastSource.NAIVE_NO_MODEL;
    private final PendingHorizon horizon;

    PendingForecast(int horizonSteps) {
        horizon = new PendingHorizon(horizonSteps);
    }

    /** Whether a forecast is waiting for the next reading. */
    public boolean isPresent() {
        return present;
    }

    public double forecast() {
        return forecast;
    }

    public long version() {
        return version;
    }

    /** The lower bound of the forecast's interval (NaN in a state stored before intervals existed). */
    public double lower() {
        return lower;
    }

    public double upper() {
        return upper;
    }

    /** The model's forecast of the next reading, published or not; NaN when no model forecast was made. */
    public double modelForecast() {
        return modelForecast;
    }

    /** Which forecaster the forecast came from, and why a naive one. */
    public ForecastSource source() {
        return source;
    }

    /** Steps 2..H of the recent forecasts, not scored yet. */
    public PendingHorizon horizon() {
        return horizon;
    }

    /** A forecast without interval or model forecast (kept for callers that have none). */
    public void set(double value, long modelVersion) {
        set(value, modelVersion, Double.NaN, Double.NaN, Double.NaN,
                modelVersion == 0 ? ForecastSource.NAIVE_NO_MODEL : ForecastSource.LSTM);
    }

    public void set(double value, long modelVersion, double lowerBound, double upperBound, double model,
             ForecastSource servedBy) {
        present = true;
        forecast = value;
        version = modelVersion;
        lower = lowerBound;
        upper = upperBound;
        modelForecast = model;
        source = servedBy;
    }

    /** No forecast waits: the window started over (the steps of earlier forecasts go too). */
    void drop() {
        present = false;
        horizon.clear();
    }

    /** As for a sensor never seen. */
    void clear() {
        drop();
        forecast = 0;
        version = 0;
        lower = Double.NaN;
        upper = Double.NaN;
        modelForecast = Double.NaN;
        source = ForecastSource.NAIVE_NO_MODEL;
    }

    /**
     * How many steps the forecast's horizon has (forecast.horizon; its steps 2..H are kept only with it): 0 without
     * a forecast, 1 when only step 1 is known.
     */
    public int horizonSteps() {
        if (!present) {
            return 0;
        }
        return horizon.has(1) ? horizon.horizon() : 1;
    }

    /** Step {@code step} (1..{@link #horizonSteps()}) of the forecast, as published. */
    public double stepForecast(int step) {
        return step == 1 ? forecast : horizon.forecast(1, step);
    }

    /** The lower bound of step {@code step} (NaN when it has no interval). */
    public double stepLower(int step) {
        return step == 1 ? lower : horizon.lower(1, step);
    }

    /** The upper bound of step {@code step} (NaN when it has no interval). */
    public double stepUpper(int step) {
        return step == 1 ? upper : horizon.upper(1, step);
    }

    /** Bytes of {@link #write}. */
    static final int BYTES = 1 + 8 * 5 + 1;

    /** present flag, forecast, version, lower, upper, model forecast, source code (the horizon is written apart). */
    void write(ByteBuffer buffer) {
        buffer.put((byte) (present ? 1 : 0)).putDouble(forecast).putLong(version).putDouble(lower).putDouble(upper)
                .putDouble(modelForecast).put(source.code());
    }

    /** Reads what {@link #write} wrote; with {@code keep} false, reads past it and stays empty. */
    void read(ByteBuffer buffer, boolean keep) {
        boolean wasPresent = buffer.get() == 1;
        double storedForecast = buffer.getDouble();
        long storedVersion = buffer.getLong();
        double storedLower = buffer.getDouble();
        double storedUpper = buffer.getDouble();
        double storedModelForecast = buffer.getDouble();
        ForecastSource storedSource = ForecastSource.ofCode(buffer.get());
        if (wasPresent && keep) {
            set(storedForecast, storedVersion, storedLower, storedUpper, storedModelForecast, storedSource);
        }
    }
}
