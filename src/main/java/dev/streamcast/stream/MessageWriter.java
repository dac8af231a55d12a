package dev.streamcast.stream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Writes the JSON values of the output topics (DESIGN.md's message formats) with Jackson's streaming generator
 * into one reused buffer. One writer serves one thread.
 */
final class MessageWriter {

    // Three messages per reading carry eleven doubles; JDK 17's Double.toString was the hottest leaf of the
    // per-reading path in a profile. Jackson's Schubfach writer gives the same shortest round-tripping digits faster.
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(256);

    /** {"sensorId","timestamp","window":[..],"forecast","modelId","modelVersion","model"} */
    byte[] forecast(String sensorId, long timestamp, double[] window, int count, double forecast, String modelId,
                    long modelVersion, boolean naive) {
        try (JsonGenerator g = start()) {
            g.writeStartObject();
            g.writeStringField("sensorId", sensorId);
            g.writeStringField("timestamp", Instant.ofEpochMilli(timestamp).toString());
            writeWindow(g, window, count);
            g.writeNumberField("forecast", forecast);
            g.writeStringField("modelId", modelId);
            g.writeNumberField("modelVersion", modelVersion);
            g.writeStringField("model", naive ? "naive" : "lstm");
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return finish();
    }

    /** {"sensorId","timestamp","forecast","actual","error","modelVersion"}; error = actual - forecast. */
    byte[] accuracy(String sensorId, long timestamp, double forecast, double actual, long modelVersion) {
        try (JsonGenerator g = start()) {
            g.writeStartObject();
            g.writeStringField("sensorId", sensorId);
            g.writeStringField("timestamp", Instant.ofEpochMilli(timestamp).toString());
            g.writeNumberField("forecast", forecast);
            g.writeNumberField("actual", actual);
            g.writeNumberField("error", actual - forecast);
            g.writeNumberField("modelVersion", modelVersion);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return finish();
    }

    /** {"sensorId","timestamp","window":[..],"actual"}: a training sample for the trainer. */
    byte[] sample(String sensorId, long timestamp, double[] window, int count, double actual) {
        try (JsonGenerator g = start()) {
            g.writeStartObject();
            g.writeStringField("sensorId", sensorId);
            g.writeStringField("timestamp", Instant.ofEpochMilli(timestamp).toString());
            writeWindow(g, window, count);
            g.writeNumberField("actual", actual);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return finish();
    }

    private static void writeWindow(JsonGenerator g, double[] window, int count) throws IOException {
        g.writeArrayFieldStart("window");
        for (int k = 0; k < count; k++) {
            g.writeNumber(window[k]);
        }
        g.writeEndArray();
    }

    private JsonGenerator start() throws IOException {
        buffer.reset();
        return JSON.createGenerator(buffer, JsonEncoding.UTF8);
    }

    private byte[] finish() {
        return buffer.toByteArray();
    }
}
