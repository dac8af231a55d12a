package dev.streamcast.wire;

import static dev.streamcast.wire.JsonMessageWriter.FORECAST;
import static dev.streamcast.wire.JsonMessageWriter.LOWER;
import static dev.streamcast.wire.JsonMessageWriter.MODEL;
import static dev.streamcast.wire.JsonMessageWriter.MODEL_VERSION;
import static dev.streamcast.wire.JsonMessageWriter.SENSOR_ID;
import static dev.streamcast.wire.JsonMessageWriter.STEP;
import static dev.streamcast.wire.JsonMessageWriter.UPPER;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The forecasts topic's message (docs/design.md, Forecasts), its writer and its reader side by side:
 * <pre>
 *   {"format":2,"sensorId","timestamp","window":[..],"forecast","lower","upper","modelId","modelVersion","model",
 *    "naiveReason" (naive only), "horizon":[{"step","timestamp","forecast","lower","upper"}, ..]}
 * </pre>
 * {@code timestamp} is the window's last reading's; step 1 of the horizon is the top-level forecast. Format 2 (issue
 * 27) is format 1 (unmarked) with its format named; the accuracy record's format 2 drops its error.
 */
public final class ForecastMessage {

    /** The format the writer writes, its {@code "format"} field; format 1 had none. */
    public static final int FORMAT = 2;

    private ForecastMessage() {
    }

    /** One step of a forecast's horizon, as read. */
    public record Step(int step, long timestamp, double forecast, double lower, double upper) {
    }

    /** A forecast as read; absent numbers are NaN, an absent naiveReason null. */
    public record Forecast(String sensorId, long timestamp, double[] window, double forecast, double lower,
                           double upper, String modelId, long modelVersion, String model, String naiveReason,
                           List<Step> horizon) {

        /** The window's last value: what the naive forecast of every step is. */
        public double lastValue() {
            return window.length == 0 ? Double.NaN : window[window.length - 1];
        }
    }

    /**
     * Reads a message of the forecasts topic.
     *
     * @throws IllegalArgumentException if it is not one
     */
    public static Forecast read(JsonNode node) {
        JsonNode window = node.path("window");
        double[] values = new double[window.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = window.get(k).asDouble();
        }
        List<Step> steps = new ArrayList<>();
        for (JsonNode step : node.path("horizon")) {
            steps.add(new Step(step.path("step").asInt(), Messages.timestamp(step), Messages.number(step, "forecast"),
                    Messages.number(step, "lower"), Messages.number(step, "upper")));
        }
        return new Forecast(node.path("sensorId").asText(null), Messages.timestamp(node), values,
                Messages.number(node, "forecast"), Messages.number(node, "lower"), Messages.number(node, "upper"),
                node.path("modelId").asText(null), node.path("modelVersion").asLong(0), node.path("model").asText(null),
                node.path("naiveReason").asText(null), List.copyOf(steps));
    }

    /**
     * What one forecast message says: filled on the per-reading path and written by {@link Writer}. Step h (from 1)
     * of the horizon is at index h - 1; step 1 is the top-level forecast. One instance per thread is reused, so
     * that a forecast allocates nothing.
     */
    public static final class Content {

        private final double[] forecasts;
        private final double[] lowers;
        private final double[] uppers;
        private String sensorId;
        private long timestamp;
        private double[] window;
        private int count;
        private double intervalMs;
        private String modelId;
        private long modelVersion;
        private ForecastSource source = ForecastSource.NAIVE_NO_MODEL;

        /** Room for {@code steps} steps (forecast.horizon). */
        public Content(int steps) {
            forecasts = new double[steps];
            lowers = new double[steps];
            uppers = new double[steps];
        }

        /**
         * Starts the forecast made from {@code values[0..valueCount)}, the window whose last reading is at
         * {@code lastTimestamp}; step h is stamped {@code lastTimestamp + round(h meanIntervalMs)}.
         */
        public Content window(String id, long lastTimestamp, double[] values, int valueCount, double meanIntervalMs) {
            sensorId = id;
            timestamp = lastTimestamp;
            window = values;
            count = valueCount;
            intervalMs = meanIntervalMs;
            return this;
        }

        /** Who made it: the model's id and version (0: none) and the forecaster that served it. */
        public Content madeBy(String id, long version, ForecastSource forecaster) {
            modelId = id;
            modelVersion = version;
            source = forecaster;
            return this;
        }

        /** Step {@code index + 1}: its forecast and interval. */
        public void step(int index, double forecast, double lower, double upper) {
            forecasts[index] = forecast;
            lowers[index] = lower;
            uppers[index] = upper;
        }

        public int steps() {
            return forecasts.length;
        }

        /** The steps' forecasts, step h at h - 1: read only (the pending forecasts copy them). */
        public double[] forecasts() {
            return forecasts;
        }

        public double[] lowers() {
            return lowers;
        }

        public double[] uppers() {
            return uppers;
        }
    }

    /** Writes forecasts; one instance serves one thread. */
    public static final class Writer {

        private static final SerializableString FORMAT_FIELD = JsonMessageWriter.name("format");
        private static final SerializableString MODEL_ID = JsonMessageWriter.name("modelId");
        private static final SerializableString NAIVE_REASON = JsonMessageWriter.name("naiveReason");
        private static final SerializableString HORIZON = JsonMessageWriter.name("horizon");

        private final JsonMessageWriter json;

        /** {@code json} may be shared with the other writers of the same thread (it keeps their numbers' text). */
        public Writer(JsonMessageWriter json) {
            this.json = json;
        }

        /** The message {@code c} describes. */
        public byte[] write(Content c) {
            JsonGenerator g = json.generator();
            try {
                g.writeStartObject();
                json.writeNumberField(g, FORMAT_FIELD, (long) FORMAT);
                json.writeStringField(g, SENSOR_ID, c.sensorId);
                json.writeTimestamp(g, c.timestamp);
                json.writeWindow(g, c.window, c.count);
                json.writeComputedNumberField(g, FORECAST, c.forecasts[0]);
                json.writeComputedNumberField(g, LOWER, c.lowers[0]);
                json.writeComputedNumberField(g, UPPER, c.uppers[0]);
                json.writeStringField(g, MODEL_ID, c.modelId);
                json.writeNumberField(g, MODEL_VERSION, c.modelVersion);
                json.writeStringField(g, MODEL, c.source.forecaster());
                if (c.source.isNaive()) {
                    json.writeStringField(g, NAIVE_REASON, c.source.naiveReason());
                }
                g.writeFieldName(HORIZON);
                g.writeStartArray();
                for (int h = 1; h <= c.steps(); h++) {
                    g.writeStartObject();
                    json.writeNumberField(g, STEP, (long) h);
                    json.writeTimestamp(g, c.timestamp + Math.round(h * c.intervalMs));
                    json.writeComputedNumberField(g, FORECAST, c.forecasts[h - 1]);
                    json.writeComputedNumberField(g, LOWER, c.lowers[h - 1]);
                    json.writeComputedNumberField(g, UPPER, c.uppers[h - 1]);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                return json.finish(g);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
