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
    private final ComputedTexts computed = new ComputedTexts();

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

    /**
     * A number the service computed (a forecast, a bound, an anomaly score) to {@link ComputedTexts#DIGITS}
     * significant digits; the readings' own numbers (a window, an accuracy record's actual) keep their every digit.
     */
    void writeComputedNumberField(JsonGenerator g, SerializableString name, double value) throws IOException {
        g.writeFieldName(name);
        char[] text = computed.text(value);
        if (text == null) {
            writeNumber(g, value);
        } else {
            g.writeNumber(text, 0, computed.length());
        }
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
     * replaces whatever shared its slot). Jackson's writeNumber(double) builds the same String every time. The text
     * is Jackson's; for a number of a few digits, as a sensor's readings are, it comes from
     * {@link ComputedTexts#formatIfExact}, several times faster.
     */
    static final class DoubleTexts {
        private static final int SLOTS = 32;
        private final long[] bits = new long[SLOTS];
        private final String[] texts = new String[SLOTS];
        private final char[] scratch = new char[32];

        String text(double value) {
            long b = Double.doubleToRawLongBits(value);
            // Fibonacci hashing: the top five bits of the product spread nearby values over the slots.
            int slot = (int) ((b ^ (b >>> 32)) * 0x9E3779B97F4A7C15L >>> 59);
            String text = texts[slot];
            if (text == null || bits[slot] != b) {
                int n = ComputedTexts.formatIfExact(value, scratch);
                text = n >= 0 ? new String(scratch, 0, n) : NumberOutput.toString(value, true);
                texts[slot] = text;
                bits[slot] = b;
            }
            return text;
        }
    }

    /**
     * The text of a computed number rounded to {@link #DIGITS} significant digits, in plain notation, for the numbers
     * between 1e-5 and 1e15 in magnitude (others, and non-finite ones: null, and the writer writes every digit). Why: a
     * forecast's or a bound's seventeen digits say nothing its error does not drown (nine are a billionth of its size),
     * and cost: the shortest round-tripping text of a double (Schubfach) was a tenth of the stream thread's time in a
     * backlog's profile, and its digits made the records a sixth longer on disk. Rounding to significant digits is
     * monotone, so a forecast's written bounds still hold it; a bound on the sensor's resolution (ReadingResolution) is
     * a short decimal and is written exactly. Like {@link DoubleTexts} it keeps the text of recent numbers: a
     * forecast's numbers are written again in its horizon and in the accuracy record that scores it.
     */
    static final class ComputedTexts {
        /** Significant digits of a computed number's text. */
        static final int DIGITS = 9;
        private static final int SCALE = 100_000_000; // 10^(DIGITS - 1): the least DIGITS-digit integer
        private static final double[] POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        private static final int[] INT_POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
            100_000_000, 1_000_000_000};
        private static final int SLOTS = 32;
        // The longest text is 20 characters: "-", 16 integer digits (1e15 rounded up), ".0"; or "-0." and 14 decimals.
        private static final int LONGEST = 32;
        private final long[] bits = new long[SLOTS];
        private final char[][] texts = new char[SLOTS][LONGEST];
        private final int[] lengths = new int[SLOTS];
        private final boolean[] filled = new boolean[SLOTS];
        private int length;

        /** The text of {@code value} in the array's first {@link #length()} characters, or null (see the class). */
        char[] text(double value) {
            long b = Double.doubleToRawLongBits(value);
            int slot = (int) ((b ^ (b >>> 32)) * 0x9E3779B97F4A7C15L >>> 59);
            if (!filled[slot] || bits[slot] != b) {
                int n = format(value, texts[slot]);
                if (n < 0) {
                    return null;
                }
                bits[slot] = b;
                lengths[slot] = n;
                filled[slot] = true;
            }
            length = lengths[slot];
            return texts[slot];
        }

        int length() {
            return length;
        }

        /**
         * Writes {@code value} rounded to DIGITS significant digits into {@code out}; its length, or -1 outside the
         * plain range (1e-5 to 1e15 in magnitude).
         */
        static int format(double value, char[] out) {
            return format(value, out, 1e-5, 1e15, false);
        }

        /**
         * Writes the shortest text that reads back as {@code value} into {@code out}, the text Jackson writes, when it
         * has at most DIGITS significant digits and 1e-3 &lt;= |value| &lt; 1e7 (where Jackson's is plain too); else
         * -1. A sensor's readings are such numbers (21.5, 1013.25), and this is several times faster than Jackson's
         * general shortest-text search. Why it is the shortest: the 9-digit decimals near x are 1e-9 |x| or more
         * apart, the doubles 2.2e-16 |x|, so at most one 9-digit decimal reads back as x; when the nearest does, the
         * shortest text is it without its trailing zeros.
         */
        static int formatIfExact(double value, char[] out) {
            return format(value, out, 1e-3, 1e7, true);
        }

        /**
         * With e = floor(log10 |x|) and d = DIGITS - 1 - e decimals, m = round(|x| 10^d) is an integer of DIGITS
         * digits (10^(DIGITS-1) &lt;= m &lt; 10^DIGITS; a rounding up to 10^DIGITS, or a log10 one off, moves d by
         * one), and the text is m with its decimal point d places from the right. {@code exact}: only when m 10^-d
         * reads back as x, which m / 10^d computes (both exact doubles, so the division rounds as parsing does).
         */
        private static int format(double value, char[] out, double from, double below, boolean exact) {
            double a = Math.abs(value);
            if (a == 0) {
                // Jackson's text, the sign of a negative zero kept.
                return copy(Double.doubleToRawLongBits(value) < 0 ? "-0.0" : "0.0", out);
            }
            if (!(a >= from && a < below)) {
                return -1;
            }
            int d = DIGITS - 1 - (int) Math.floor(Math.log10(a));
            long rounded = scaled(a, d);
            if (rounded >= 10L * SCALE) {
                rounded = scaled(a, --d);
            } else if (rounded < SCALE) {
                rounded = scaled(a, ++d);
            }
            if (exact && (d >= 0 ? rounded / POWERS[d] : rounded * POWERS[-d]) != a) {
                return -1;
            }
            // m < 10^DIGITS: an int, whose division by ten the JIT makes a multiplication.
            int m = (int) rounded;
            int n = 0;
            if (value < 0) {
                out[n++] = '-';
            }
            if (d <= 0) {
                // An integer: m followed by -d zeros, written as a double is (with ".0").
                n = digits(m, out, n);
                for (int k = 0; k < -d; k++) {
                    out[n++] = '0';
                }
                out[n++] = '.';
                out[n++] = '0';
                return n;
            }
            int unit = d < DIGITS ? INT_POWERS[d] : Integer.MAX_VALUE;
            n = digits(m / unit, out, n);
            out[n++] = '.';
            int fraction = m % unit;
            if (fraction == 0) {
                out[n++] = '0';
                return n;
            }
            // The d decimals with their leading zeros, without their trailing ones.
            int last = n + d;
            for (int k = last - 1; k >= n; k--) {
                out[k] = (char) ('0' + fraction % 10);
                fraction /= 10;
            }
            n = last;
            while (out[n - 1] == '0') {
                n--;
            }
            return n;
        }

        private static long scaled(double a, int d) {
            return Math.round(d >= 0 ? a * POWERS[d] : a / POWERS[-d]);
        }

        /** The decimal digits of {@code v} (>= 0) at {@code out[n]}; the index after them. */
        private static int digits(int v, char[] out, int n) {
            int count = 1;
            while (count < INT_POWERS.length && v >= INT_POWERS[count]) {
                count++;
            }
            for (int k = n + count - 1; k >= n; k--) {
                out[k] = (char) ('0' + v % 10);
                v /= 10;
            }
            return n + count;
        }

        private static int copy(String text, char[] out) {
            text.getChars(0, text.length(), out, 0);
            return text.length();
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
