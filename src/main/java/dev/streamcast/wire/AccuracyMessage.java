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

/**
 * The accuracy topic's message (docs/design.md, Forecasts), its writer and its reader side by side. Step 1 (the
 * next reading), one per scored reading:
 * <pre>
 *   {"sensorId","timestamp","forecast","actual","error","modelVersion","model","step":1,"lower","upper",
 *    "anomalyScore","anomaly"}, plus "modelForecast" when the floor served naive
 * </pre>
 * and, with forecast.horizon H &gt; 1, one per scored step k = 2..H:
 * {@code {"sensorId","timestamp","forecast","actual","error","modelVersion","model","step":k,"lower","upper"}}.
 * {@code timestamp} is the scored reading's; error = actual - forecast; lower and upper (absent while the forecast
 * had no interval) are the bounds of the forecast it scores.
 */
public final class AccuracyMessage {

    private AccuracyMessage() {
    }

    /** An accuracy record as read; absent numbers are NaN, an absent step 1. */
    public record Accuracy(String sensorId, long timestamp, double forecast, double actual, double error,
                           long modelVersion, String model, int step, double lower, double upper,
                           double anomalyScore, boolean anomaly, double modelForecast) {
    }

    /**
     * Reads a message of the accuracy (or anomalies) topic.
     *
     * @throws IllegalArgumentException if it is not one
     */
    public static Accuracy read(JsonNode node) {
        return new Accuracy(node.path("sensorId").asText(null), Messages.timestamp(node), Messages.number(node, "forecast"),
                Messages.number(node, "actual"), Messages.number(node, "error"), node.path("modelVersion").asLong(0),
                node.path("model").asText(null), node.path("step").asInt(1), Messages.number(node, "lower"),
                Messages.number(node, "upper"), Messages.number(node, "anomalyScore"), node.path("anomaly").asBoolean(),
                Messages.number(node, "modelForecast"));
    }

    /** Writes accuracy records; one instance serves one thread. */
    public static final class Writer {

        private static final SerializableString ACTUAL = JsonMessageWriter.name("actual");
        private static final SerializableString ERROR = JsonMessageWriter.name("error");
        private static final SerializableString MODEL_FORECAST = JsonMessageWriter.name("modelForecast");
        private static final SerializableString ANOMALY_SCORE = JsonMessageWriter.name("anomalyScore");
        private static final SerializableString ANOMALY = JsonMessageWriter.name("anomaly");

        private final JsonMessageWriter json;

        /** {@code json} may be shared with the other writers of the same thread (it keeps their numbers' text). */
        public Writer(JsonMessageWriter json) {
            this.json = json;
        }

        /** The step-1 record of a scored reading. */
        public byte[] write(String sensorId, long timestamp, double forecast, double actual, long modelVersion,
                     ForecastSource source, double lower, double upper, double anomalyScore, boolean anomaly,
                     double modelForecast) {
            JsonGenerator g = json.generator();
            try {
                start(g, sensorId, timestamp, forecast, actual, modelVersion, source);
                if (source == ForecastSource.NAIVE_FLOOR && Double.isFinite(modelForecast)) {
                    json.writeNumberField(g, MODEL_FORECAST, modelForecast);
                }
                json.writeNumberField(g, STEP, 1L);
                writeBounds(g, lower, upper);
                json.writeNumberField(g, ANOMALY_SCORE, anomalyScore);
                g.writeFieldName(ANOMALY);
                g.writeBoolean(anomaly);
                g.writeEndObject();
                return json.finish(g);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The record of step {@code step} >= 2 of an earlier forecast; the anomaly fields are step 1's alone. */
        public byte[] writeStep(String sensorId, long timestamp, double forecast, double actual, long modelVersion,
                         ForecastSource source, int step, double lower, double upper) {
            JsonGenerator g = json.generator();
            try {
                start(g, sensorId, timestamp, forecast, actual, modelVersion, source);
                json.writeNumberField(g, STEP, (long) step);
                writeBounds(g, lower, upper);
                g.writeEndObject();
                return json.finish(g);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void start(JsonGenerator g, String sensorId, long timestamp, double forecast, double actual,
                           long modelVersion, ForecastSource source) throws IOException {
            g.writeStartObject();
            json.writeStringField(g, SENSOR_ID, sensorId);
            json.writeTimestamp(g, timestamp);
            json.writeNumberField(g, FORECAST, forecast);
            json.writeNumberField(g, ACTUAL, actual);
            json.writeNumberField(g, ERROR, actual - forecast);
            json.writeNumberField(g, MODEL_VERSION, modelVersion);
            json.writeStringField(g, MODEL, source.forecaster());
        }

        private void writeBounds(JsonGenerator g, double lower, double upper) throws IOException {
            if (Double.isFinite(lower) && Double.isFinite(upper)) {
                json.writeNumberField(g, LOWER, lower);
                json.writeNumberField(g, UPPER, upper);
            }
        }
    }
}
