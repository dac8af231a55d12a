package dev.streamcast.wire;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * What the writers of the output topics' JSON messages ({@link ForecastMessage}, {@link AccuracyMessage}) share:
 * Jackson's streaming generator over one reused buffer, and the text of recently written timestamps and numbers.
 * One instance serves one thread.
 *
 * <p>Two messages are written per reading, so it keeps what it can between them: one generator for every message
 * (creating one per message cost as much as writing it), the text of the last timestamp written (both messages of a
 * reading carry the same one), and the text of the last numbers written (the twelve numbers of a reading's messages
 * are about ten different ones: the reading is in both; the window's older values were written before; a
 * forecast's bounds are its accuracy record's). Field names are written from their UTF-8 bytes, quoted and encoded
 * once ({@link #name}): Jackson writes a String name character by character, checking each for escapes.
 */
public final class JsonMessageWriter {

    // The field names the two messages share.
    static final SerializableString SENSOR_ID = name("sensorId");
    static final SerializableString TIMESTAMP = name("timestamp");
    static final SerializableString FORECAST = name("forecast");
    static final SerializableString LOWER = name("lower");
    static final SerializableString UPPER = name("upper");
    static final SerializableString MODEL_VERSION = name("modelVersion");
    static final SerializableString MODEL = name("model");
    static final SerializableString STEP = name("step");
    private static final SerializableString WINDOW = name("window");

    // Two messages per reading carry seven doubles; JDK 17's Double.toString was the hottest leaf of the
    // per-reading path in a profile. Jackson's Schubfach writer gives the same shortest round-tripping digits faster.
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(256);
    private final JsonGenerator generator;
    private final IsoTimestamp timestamps = new IsoTimestamp();
    private final DoubleTexts doubles = new DoubleTexts();

    public JsonMessageWriter() {
        try {
            generator = JSON.createGenerator(buffer, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Each message is a root value of its own: no separator between one and the next.
        generator.setRootValueSeparator(null);
    }

    /** The generator the next message is written with; {@link #finish} ends it. */
    JsonGenerator generator() {
        return generator;
    }

    /** A field name as the writers keep it: its quoted UTF-8 bytes computed once. */
    static SerializableString name(String fieldName) {
        SerializedString name = new SerializedString(fieldName);
        name.asQuotedUTF8();
        return name;
    }

    void writeTimestamp(JsonGenerator g, long epochMs) throws IOException {
        g.writeFieldName(TIMESTAMP);
        g.writeString(timestamps.format(epochMs), 0, timestamps.length());
    }

    void writeWindow(JsonGenerator g, double[] window, int count) throws IOException {
        g.writeFieldName(WINDOW);
        g.writeStartArray();
        for (int k = 0; k < count; k++) {
            writeNumber(g, window[k]);
        }
        g.writeEndArray();
    }

    void writeNumberField(JsonGenerator g, SerializableString name, double value) throws IOException {
        g.writeFieldName(name);
        writeNumber(g, value);
    }

    void writeStringField(JsonGenerator g, SerializableString name, String value) throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    void writeNumberField(JsonGenerator g, SerializableString name, long value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    /** The number as Jackson's writeNumber(double) writes it, its text kept for the next messages. */
    void writeNumber(JsonGenerator g, double value) throws IOException {
        if (Double.isFinite(value)) {
            g.writeNumber(doubles.text(value));
        } else {
            // Jackson quotes NaN and Infinity (not JSON numbers); leave that to it.
            g.writeNumber(value);
        }
    }

    /** The message written since the last call: the generator's buffer moves to the builder, which starts over. */
    byte[] finish(JsonGenerator g) throws IOException {
        g.flush();
        byte[] message = buffer.toByteArray();
        buffer.reset();
        return message;
    }

    /**
     * The JSON text of recently written doubles, in a small table indexed by a hash of their bits (a new number
     * replaces whatever shared its slot). Jackson's writeNumber(double) builds the same String every time.
     */
    static final class DoubleTexts {
        private static final int SLOTS = 32;
        private final long[] bits = new long[SLOTS];
        private final String[] texts = new String[SLOTS];

        String text(double value) {
            long b = Double.doubleToRawLongBits(value);
            // Fibonacci hashing: the top five bits of the product spread nearby values over the slots.
            int slot = (int) ((b ^ (b >>> 32)) * 0x9E3779B97F4A7C15L >>> 59);
            String text = texts[slot];
            if (text == null || bits[slot] != b) {
                text = NumberOutput.toString(value, true);
                texts[slot] = text;
                bits[slot] = b;
            }
            return text;
        }
    }

    /**
     * Epoch milliseconds as {@link Instant#toString()} writes them (ISO-8601 in UTC, the fraction only when not
     * zero), without allocating: the date and time of a second are formatted once and kept, for the last two seconds
     * written. Two, because a forecast carries two: its reading's and its horizon's next step's, one interval later;
     * with one kept, the two replaced each other and every message formatted both again.
     */
    static final class IsoTimestamp {
        // "+1000000000-12-31T23:59:59.999Z" is the longest an Instant can be.
        private static final int LONGEST = 40;
        private final long[] seconds = {Long.MIN_VALUE, Long.MIN_VALUE};
        private final char[][] secondTexts = {new char[LONGEST], new char[LONGEST]};
        private final int[] secondLengths = new int[2];
        // The slot written longest ago: the one a new second replaces.
        private int older;
        private int length;

        /** The text of {@code epochMs} in the returned array's first {@link #length()} characters. */
        char[] format(long epochMs) {
            long s = Math.floorDiv(epochMs, 1000);
            int millis = (int) Math.floorMod(epochMs, 1000);
            int slot = seconds[0] == s ? 0 : seconds[1] == s ? 1 : -1;
            if (slot < 0) {
                slot = older;
                String iso = Instant.ofEpochSecond(s).toString();
                // Instant.toString of a whole second ends "...:ssZ"; keep it without the Z.
                secondLengths[slot] = iso.length() - 1;
                iso.getChars(0, secondLengths[slot], secondTexts[slot], 0);
                seconds[slot] = s;
            }
            older = 1 - slot;
            // The fraction and the Z go after the kept second's text, which they leave as it is.
            char[] text = secondTexts[slot];
            int n = secondLengths[slot];
            if (millis != 0) {
                text[n++] = '.';
                text[n++] = (char) ('0' + millis / 100);
                text[n++] = (char) ('0' + millis / 10 % 10);
                text[n++] = (char) ('0' + millis % 10);
            }
            text[n++] = 'Z';
            length = n;
            return text;
        }

        int length() {
            return length;
        }
    }
}
