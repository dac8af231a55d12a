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
 *   {"format":2,"sensorId","timestamp","forecast","actual","modelVersion","model","step":1,"lower","upper",
 *    "anomalyScore","anomaly"}, plus "modelForecast" when the floor served naive
 * </pre>
 * and, with forecast.horizon H &gt; 1, one per scored step k = 2..H:
 * {@code {"format":2,"sensorId","timestamp","forecast","actual","modelVersion","model","step":k,"lower","upper"}}.
 * {@code timestamp} is the scored reading's; lower and upper (absent while the forecast had no interval) are the
 * bounds of the forecast it scores.
 *
 * <p>Format 2 (issue 27) dropped format 1's (unmarked) {@code "error"}, which was actual - forecast to the last bit:
 * a consumer computes it (README.md, Topics); the reader here gives it for either format.
 */
public final class AccuracyMessage {

    /** The format the writer writes, its {@code "format"} field; format 1 had none. */
    public static final int FORMAT = 2;

    private AccuracyMessage() {
    }

    /** An accuracy record as read; absent numbers are NaN, an absent step 1, error actual - forecast. */
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
        double forecast = Messages.number(node, "forecast");
        double actual = Messages.number(node, "actual");
        // Format 1 wrote the error; format 2 leaves it to the reader, the same number.
        double error = node.has("error") ? Messages.number(node, "error") : actual - forecast;
        return new Accuracy(node.path("sensorId").asText(null), Messages.timestamp(node), forecast, actual, error,
                node.path("modelVersion").asLong(0),
                node.path("model").asText(null), node.path("step").asInt(1), Messages.number(node, "lower"),
                Messages.number(node, "upper"), Messages.number(node, "anomalyScore"), node.path("anomaly").asBoolean(),
                Messages.number(node, "modelForecast"));
    }

    /**
     * What one accuracy record says: filled field by field on the per-reading path and written by {@link Writer}.
     * One instance per thread is reused, so that scoring a reading allocates nothing.
     */
    public static final class Content {

        private String sensorId;
        private long timestamp;
        private double forecast;
        private double lower;
        private double upper;
        private double actual;
        private long modelVersion;
        private ForecastSource source = ForecastSource.NAIVE_NO_MODEL;
        private int step;
        private double anomalyScore;
        private boolean anomaly;
        private double modelForecast;

        /** Starts a record of {@code sensorId}'s reading {@code actual} at {@code timestamp}. */
        public Content reading(String id, long readingTimestamp, double value) {
            sensorId = id;
            timestamp = readingTimestamp;
            actual = value;
            anomalyScore = Double.NaN;
            anomaly = false;
            modelForecast = Double.NaN;
            return this;
        }

        /** The forecast scored: step {@code forecastStep} of a forecast, its interval (NaN: none). */
        public Content forecast(int forecastStep, double value, double lowerBound, double upperBound) {
            step = forecastStep;
            forecast = value;
            lower = lowerBound;
            upper = upperBound;
            return this;
        }

        /** Who made the forecast. */
        public Content madeBy(long version, ForecastSource forecaster) {
            modelVersion = version;
            source = forecaster;
            return this;
        }

        /** Step 1 only: the reading's anomaly score and whether it is an anomaly. */
        public Content anomaly(double score, boolean isAnomaly) {
            anomalyScore = score;
            anomaly = isAnomaly;
            return this;
        }

        /** Step 1 only: the model's own forecast, written when the floor served the naive one instead. */
        public Content modelForecast(double value) {
            modelForecast = value;
            return this;
        }

        public double forecast() {
            return forecast;
        }

        public double lower() {
            return lower;
        }

        public double upper() {
            return upper;
        }

        public double actual() {
            return actual;
        }

        public boolean isAnomaly() {
            return anomaly;
        }
    }

    /** Writes accuracy records; one instance serves one thread. */
    public static final class Writer {

        private static final SerializableString FORMAT_FIELD = JsonMessageWriter.name("format");
        private static final SerializableString ACTUAL = JsonMessageWriter.name("actual");
        private static final SerializableString MODEL_FORECAST = JsonMessageWriter.name("modelForecast");
        private static final SerializableString ANOMALY_SCORE = JsonMessageWriter.name("anomalyScore");
        private static final SerializableString ANOMALY = JsonMessageWriter.name("anomaly");

        private final JsonMessageWriter json;

        /** {@code json} may be shared with the other writers of the same thread (it keeps their numbers' text). */
        public Writer(JsonMessageWriter json) {
            this.json = json;
        }

        /** The record {@code c} describes: step 1 with its anomaly fields, a later step without them. */
        public byte[] write(Content c) {
            JsonGenerator g = json.generator();
            try {
                g.writeStartObject();
                json.writeNumberField(g, FORMAT_FIELD, (long) FORMAT);
                json.writeStringField(g, SENSOR_ID, c.sensorId);
                json.writeTimestamp(g, c.timestamp);
                json.writeComputedNumberField(g, FORECAST, c.forecast);
                json.writeNumberField(g, ACTUAL, c.actual);
                json.writeNumberField(g, MODEL_VERSION, c.modelVersion);
                json.writeStringField(g, MODEL, c.source.forecaster());
                if (c.step == 1 && c.source == ForecastSource.NAIVE_FLOOR && Double.isFinite(c.modelForecast)) {
                    json.writeComputedNumberField(g, MODEL_FORECAST, c.modelForecast);
                }
                json.writeNumberField(g, STEP, (long) c.step);
                if (Double.isFinite(c.lower) && Double.isFinite(c.upper)) {
                    json.writeComputedNumberField(g, LOWER, c.lower);
                    json.writeComputedNumberField(g, UPPER, c.upper);
                }
                if (c.step == 1) {
                    json.writeComputedNumberField(g, ANOMALY_SCORE, c.anomalyScore);
                    g.writeFieldName(ANOMALY);
                    g.writeBoolean(c.anomaly);
                }
                g.writeEndObject();
                return json.finish(g);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
