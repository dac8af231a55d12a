package dev.streamcast.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
/** The forecasts and accuracy messages: their exact text, and what their readers make of it. */
class OutputMessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void timestampsAreWrittenExactlyAsInstantWritesThem() {
        JsonMessageWriter.IsoTimestamp iso = new JsonMessageWriter.IsoTimestamp();
        long[] edges = {0, 1, 999, 1000, -1, -999, -1000, -1001, 1_764_216_000_000L, 1_764_216_000_007L,
            253_402_300_799_999L, 253_402_300_800_000L, -62_167_219_200_001L, Long.MAX_VALUE,
            Long.MIN_VALUE};
        for (long ms : edges) {
            assertEquals(Instant.ofEpochMilli(ms).toString(), new String(iso.format(ms), 0, iso.length()), "at " + ms);
        }
        SplittableRandom random = new SplittableRandom(7);
        long at = 1_764_216_000_000L;
        for (int k = 0; k < 100_000; k++) {
            // Mostly small steps (the cached second is reused), now and then a jump anywhere.
            at = k % 1000 == 0 ? random.nextLong(-10_000_000_000_000L, 10_000_000_000_000L) : at
                    + random.nextInt(0, 700);
            assertEquals(Instant.ofEpochMilli(at).toString(), new String(iso.format(at), 0, iso.length()), "at " + at);
        }
        // Two seconds kept: a reading's timestamp and its next step's, a minute later, alternate, with a third now and
        // then.
        for (int k = 0; k < 10_000; k++) {
            at += random.nextInt(0, 700);
            long[] three = {at, at + 60_000, k % 7 == 0 ? at - 3_600_000 : at};
            for (long ms : three) {
                assertEquals(Instant.ofEpochMilli(ms).toString(), new String(iso.format(ms), 0, iso.length()), "at "
                        + ms);
            }
        }
    }

    /** Step 1 of a horizon is the top-level forecast; the arrays' first entries are not read. */
    private static final double[] ONE_STEP = {Double.NaN};

    @Test
    void aHorizonListsEveryStepAtTheUsualIntervalWithItsOwnInterval() throws Exception {
        JsonMessageWriter json = new JsonMessageWriter();
        ForecastMessage.Writer forecasts = new ForecastMessage.Writer(json);
        AccuracyMessage.Writer accuracies = new AccuracyMessage.Writer(json);
        JsonNode forecast = JSON.readTree(forecast(forecasts, "s", 1_764_216_000_000L, new double[] {1, 2, 3}, 3, 4, 3,
                5,
                "default", 2, ForecastSource.LSTM, new double[] {4, 4.5, 5.25}, new double[] {3, 3, 2.75},
                new double[] {5, 6, 7.75}, 3, 1500.4));
        JsonNode horizon = forecast.path("horizon");
        assertEquals(3, horizon.size());
        assertEquals("{\"step\":1,\"timestamp\":\"2025-11-27T04:00:01.500Z\",\"forecast\":4.0,\"lower\":3.0,"
                + "\"upper\":5.0}", horizon.get(0).toString());
        assertEquals("{\"step\":3,\"timestamp\":\"2025-11-27T04:00:04.501Z\",\"forecast\":5.25,\"lower\":2.75,"
                + "\"upper\":7.75}", horizon.get(2).toString());
        JsonNode step = JSON.readTree(accuracyStep(accuracies, "s", 1_764_216_003_000L, 4.5, 5, 2, ForecastSource.LSTM,
                2,
                3, 6));
        assertEquals("{\"format\":2,\"sensorId\":\"s\",\"timestamp\":\"2025-11-27T04:00:03Z\",\"forecast\":4.5,"
                + "\"actual\":5.0,\"modelVersion\":2,\"model\":\"lstm\",\"step\":2,\"lower\":3.0,\"upper\":6.0}",
                step.toString());
    }

    @Test
    void consecutiveMessagesAreEachOneCompleteJsonValue() throws Exception {
        JsonMessageWriter json = new JsonMessageWriter();
        ForecastMessage.Writer forecasts = new ForecastMessage.Writer(json);
        AccuracyMessage.Writer accuracies = new AccuracyMessage.Writer(json);
        double[] window = {1.5, -2.25, 1e-7};
        JsonNode forecast = JSON.readTree(forecast(forecasts, "s-1", 1_764_216_000_123L, window, 3, 0.1 + 0.2, -0.5,
                1.5,
                "default", 7, ForecastSource.LSTM, ONE_STEP, ONE_STEP, ONE_STEP, 1, 60_000));
        JsonNode accuracy = JSON.readTree(accuracy(accuracies, "s-2", 1_764_216_001_000L, 2.0, 2.5, 0,
                ForecastSource.NAIVE_NO_MODEL, 1.0, 3.0, 0.25, false, Double.NaN));
        JsonNode again = JSON.readTree(forecast(forecasts, "s-1", 1_764_216_000_123L, window, 3, 0.1 + 0.2, -0.5, 1.5,
                "default", 7, ForecastSource.LSTM, ONE_STEP, ONE_STEP, ONE_STEP, 1, 60_000));
        JsonNode floor = JSON.readTree(forecast(forecasts, "s-1", 1_764_216_000_123L, window, 3, 1e-7, -1, 1,
                "default", 7,
                ForecastSource.NAIVE_FLOOR, ONE_STEP, ONE_STEP, ONE_STEP, 1, 60_000));
        JsonNode floorScored = JSON.readTree(accuracy(accuracies, "s-1", 1_764_216_001_000L, 1e-7, 2.5, 7,
                ForecastSource.NAIVE_FLOOR, -1, 1, 0.995, true, 0.75));

        assertEquals("{\"format\":2,\"sensorId\":\"s-1\",\"timestamp\":\"2025-11-27T04:00:00.123Z\","
                + "\"window\":[1.5,-2.25,1.0E-7],"
                + "\"forecast\":0.3,\"lower\":-0.5,\"upper\":1.5,\"modelId\":\"default\","
                + "\"modelVersion\":7,\"model\":\"lstm\",\"horizon\":[{\"step\":1,"
                + "\"timestamp\":\"2025-11-27T04:01:00.123Z\","
                + "\"forecast\":0.3,\"lower\":-0.5,\"upper\":1.5}]}", forecast.toString());
        assertEquals(forecast, again);
        assertEquals("{\"format\":2,\"sensorId\":\"s-2\",\"timestamp\":\"2025-11-27T04:00:01Z\",\"forecast\":2.0,"
                + "\"actual\":2.5,\"modelVersion\":0,\"model\":\"naive\",\"step\":1,\"lower\":1.0,\"upper\":3.0,"
                + "\"anomalyScore\":0.25,\"anomaly\":false}", accuracy.toString());
        assertEquals("naive", floor.path("model").asText());
        assertEquals("floor", floor.path("naiveReason").asText());
        assertEquals(0.75, floorScored.path("modelForecast").asDouble(), "the floor's held-back model forecast");
        assertTrue(floorScored.path("anomaly").asBoolean());
    }

    private static void writeComputed(JsonGenerator g, String name, double value) throws java.io.IOException {
        char[] text = new char[32];
        int n = JsonMessageWriter.ComputedTexts.format(value, text);
        g.writeFieldName(name);
        if (n < 0) {
            g.writeNumber(value);
        } else {
            g.writeNumber(new String(text, 0, n));
        }
    }

    @Test
    void numbersAreWrittenAsTheirRuleSaysWhateverWasWrittenBefore() throws Exception {
        // A reading's own number as Jackson writes a double; a computed one (forecast, bounds, score) to nine
        // significant digits (ComputedTexts), or as Jackson writes it outside the plain range.
        JsonFactory plain = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
        JsonMessageWriter json = new JsonMessageWriter();
        ForecastMessage.Writer forecasts = new ForecastMessage.Writer(json);
        AccuracyMessage.Writer accuracies = new AccuracyMessage.Writer(json);
        SplittableRandom random = new SplittableRandom(3);
        double[] pool = new double[64];
        for (int k = 0; k < pool.length; k++) {
            pool[k] = k % 4 == 0 ? random.nextInt(-100, 100)
                    : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-9, 13));
        }
        for (int k = 0; k < 20_000; k++) {
            // Values drawn from a small pool, so many are written again, into other slots of other messages.
            double forecast = pool[random.nextInt(pool.length)];
            double actual = pool[random.nextInt(pool.length)];
            java.io.StringWriter expected = new java.io.StringWriter();
            try (JsonGenerator g = plain.createGenerator(expected)) {
                g.writeStartObject();
                g.writeNumberField("format", 2);
                g.writeStringField("sensorId", "s");
                g.writeStringField("timestamp", Instant.ofEpochMilli(k).toString());
                writeComputed(g, "forecast", forecast);
                g.writeNumberField("actual", actual);
                g.writeNumberField("modelVersion", 1);
                g.writeStringField("model", "lstm");
                g.writeNumberField("step", 1);
                writeComputed(g, "lower", forecast - 1);
                writeComputed(g, "upper", actual + 1);
                writeComputed(g, "anomalyScore", 0.5);
                g.writeBooleanField("anomaly", false);
                g.writeEndObject();
            }
            assertEquals(expected.toString(), new String(accuracy(accuracies, "s", k, forecast, actual, 1,
                    ForecastSource.LSTM, forecast - 1, actual + 1, 0.5, false, Double.NaN),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void eachMessageIsItsOwnArrayNotAViewOfTheBuffer() throws Exception {
        JsonMessageWriter json = new JsonMessageWriter();
        ForecastMessage.Writer forecasts = new ForecastMessage.Writer(json);
        AccuracyMessage.Writer accuracies = new AccuracyMessage.Writer(json);
        byte[] first = accuracy(accuracies, "a", 0, 1, 2, 3, ForecastSource.LSTM, 0, 4, 0.1, false, Double.NaN);
        String before = new String(first, java.nio.charset.StandardCharsets.UTF_8);
        accuracy(accuracies, "bbbbbbbb", 5, 6, 7, 8, ForecastSource.LSTM, 5, 9, 0.2, false, Double.NaN);
        assertEquals(before, new String(first, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(before.length(), first.length);
    }

    @Test
    void theReadersReadWhatTheWritersWrite() throws Exception {
        JsonMessageWriter json = new JsonMessageWriter();
        ForecastMessage.Writer writer = new ForecastMessage.Writer(json);
        ForecastMessage.Forecast forecast = ForecastMessage.read(JSON.readTree(forecast(writer,
                "s", 1_764_216_000_000L, new double[] {1, 2, 3}, 3, 4, 3, 5, "default", 2, ForecastSource.NAIVE_FLOOR,
                new double[] {4, 4.5}, new double[] {3, 3}, new double[] {5, 6}, 2, 1000)));
        assertEquals("s", forecast.sensorId());
        assertEquals(1_764_216_000_000L, forecast.timestamp());
        assertEquals(3, forecast.lastValue());
        assertEquals("floor", forecast.naiveReason());
        assertEquals(2, forecast.modelVersion());
        assertEquals(new ForecastMessage.Step(2, 1_764_216_002_000L, 4.5, 3, 6), forecast.horizon().get(1));

        AccuracyMessage.Writer accuracies = new AccuracyMessage.Writer(json);
        AccuracyMessage.Accuracy one = AccuracyMessage.read(JSON.readTree(accuracy(accuracies, "s", 1_764_216_001_000L,
                4, 5, 2, ForecastSource.NAIVE_FLOOR, 3, 5, 0.995, true, 4.2)));
        assertEquals(1, one.step());
        assertEquals(1, one.error(), "actual - forecast");
        assertEquals(4.2, one.modelForecast());
        assertTrue(one.anomaly());
        AccuracyMessage.Accuracy two = AccuracyMessage.read(JSON.readTree(accuracyStep(accuracies, "s",
                1_764_216_002_000L,
                4.5, 5, 2, ForecastSource.LSTM, 2, Double.NaN, Double.NaN)));
        assertEquals(2, two.step());
        assertTrue(Double.isNaN(two.lower()) && Double.isNaN(two.anomalyScore()), "absent numbers read as NaN");
        assertEquals(false, two.anomaly());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AccuracyMessage.read(JSON.readTree("{\"timestamp\":\"yesterday\"}")));
    }

    /** A forecast message from its values in the order the message lists them; step 1 from the top-level ones. */
    private static byte[] forecast(ForecastMessage.Writer writer, String sensorId, long timestamp, double[] window,
                                   int count, double forecast, double lower, double upper, String modelId,
                                   long version, ForecastSource source, double[] stepForecasts, double[] stepLowers,
                                   double[] stepUppers, int steps, double intervalMs) {
        ForecastMessage.Content content = new ForecastMessage.Content(steps);
        content.window(sensorId, timestamp, window, count, intervalMs).madeBy(modelId, version, source);
        content.step(0, forecast, lower, upper);
        for (int k = 1; k < steps; k++) {
            content.step(k, stepForecasts[k], stepLowers[k], stepUppers[k]);
        }
        return writer.write(content);
    }

    /** A step-1 accuracy record from its values in the order the message lists them. */
    private static byte[] accuracy(AccuracyMessage.Writer writer, String sensorId, long timestamp, double forecast,
                                   double actual, long version, ForecastSource source, double lower, double upper,
                                   double anomalyScore, boolean anomaly, double modelForecast) {
        return writer.write(new AccuracyMessage.Content().reading(sensorId, timestamp, actual)
                .forecast(1, forecast, lower, upper).madeBy(version, source).anomaly(anomalyScore, anomaly)
                .modelForecast(modelForecast));
    }

    /** The accuracy record of a later step. */
    private static byte[] accuracyStep(AccuracyMessage.Writer writer, String sensorId, long timestamp,
                                       double forecast, double actual, long version, ForecastSource source, int step,
                                       double lower, double upper) {
        return writer.write(new AccuracyMessage.Content().reading(sensorId, timestamp, actual)
                .forecast(step, forecast, lower, upper).madeBy(version, source));
    }
}
