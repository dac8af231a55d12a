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
 *   {"sensorId","timestamp","window":[..],"forecast","lower","upper","modelId","modelVersion","model",
 *    "naiveReason" (naive only), "horizon":[{"step","timestamp","forecast","lower","upper"}, ..]}
 * </pre>
 * {@code timestamp} is the window's last reading's; step 1 of the horizon is the top-level forecast.
 */
public final class ForecastMessage {

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

    /** Writes forecasts; one instance serves one thread. */
    public static final class Writer {

        private static final SerializableString MODEL_ID = JsonMessageWriter.name("modelId");
        private static final SerializableString NAIVE_REASON = JsonMessageWriter.name("naiveReason");
        private static final SerializableString HORIZON = JsonMessageWriter.name("horizon");

        private final JsonMessageWriter json;

        /** {@code json} may be shared with the other writers of the same thread (it keeps their numbers' text). */
        public Writer(JsonMessageWriter json) {
            this.json = json;
        }

        /**
         * The message for a forecast made from {@code window[0..count)} at {@code timestamp}; step h (from 1) of its
         * horizon is {@code stepForecasts[h - 1]} in [{@code stepLowers[h - 1]}, {@code stepUppers[h - 1]}], stamped
         * {@code timestamp + round(h intervalMs)}; step 1 is written from the top-level values.
         */
        public byte[] write(String sensorId, long timestamp, double[] window, int count, double forecast, double lower,
                     double upper, String modelId, long modelVersion, ForecastSource source, double[] stepForecasts,
                     double[] stepLowers, double[] stepUppers, int steps, double intervalMs) {
            JsonGenerator g = json.generator();
            try {
                g.writeStartObject();
                json.writeStringField(g, SENSOR_ID, sensorId);
                json.writeTimestamp(g, timestamp);
                json.writeWindow(g, window, count);
                json.writeNumberField(g, FORECAST, forecast);
                json.writeNumberField(g, LOWER, lower);
                json.writeNumberField(g, UPPER, upper);
                json.writeStringField(g, MODEL_ID, modelId);
                json.writeNumberField(g, MODEL_VERSION, modelVersion);
                json.writeStringField(g, MODEL, source.forecaster());
                if (source.isNaive()) {
                    json.writeStringField(g, NAIVE_REASON, source.naiveReason());
                }
                g.writeFieldName(HORIZON);
                g.writeStartArray();
                for (int h = 1; h <= steps; h++) {
                    double f = h == 1 ? forecast : stepForecasts[h - 1];
                    g.writeStartObject();
                    json.writeNumberField(g, STEP, (long) h);
                    json.writeTimestamp(g, timestamp + Math.round(h * intervalMs));
                    json.writeNumberField(g, FORECAST, f);
                    json.writeNumberField(g, LOWER, h == 1 ? lower : stepLowers[h - 1]);
                    json.writeNumberField(g, UPPER, h == 1 ? upper : stepUppers[h - 1]);
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
