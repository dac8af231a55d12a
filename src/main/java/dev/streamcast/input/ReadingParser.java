package dev.streamcast.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.streamcast.wire.RejectReason;
import dev.streamcast.wire.TimestampUnit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Turns a record of the readings topic into a sensor id, a value and a timestamp, or says why it cannot.
 *
 * <p>Accepted values: a bare JSON number ({@code 21.5}) or an object {@code {"value": 21.5, "timestamp": ...}}
 * whose timestamp is ISO-8601 or epoch milliseconds, a number below 1e11 being epoch seconds (absent: the record's
 * timestamp). This is {@code input.format=auto}; the mapped formats are {@link ReadingMapping}s. One parser serves one
 * thread; its result fields are overwritten by each {@link #parse} call, so the per-record path allocates
 * nothing of its own beyond what Jackson needs.
 */
public final class ReadingParser implements ReadingDecoder {

    public static final int MAX_KEY_LENGTH = 256;

    /**
     * The writer of the format this class reads: {@code {"value":21.5,"timestamp":"2026-11-26T12:00:00Z"}}, the
     * timestamp in ISO-8601 so the reading keeps its own time whatever its record's timestamp is (what `replay`, the
     * backtest and the demo send).
     */
    public static byte[] toJson(double value, long timestampMs) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a reading's value must be a finite number, got " + value);
        }
        return ("{\"value\":" + value + ",\"timestamp\":\"" + java.time.Instant.ofEpochMilli(timestampMs) + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    // NaN and Infinity are read as numbers so they are refused as non-finite rather than as malformed JSON.
    // The fast double parser gives the same correctly rounded value as Double.parseDouble, several times faster.
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(1000).build())
            .build();

    private final double maxAbsValue;
    // The characters of a bare number, for the fast path (reused: no allocation per record).
    private final char[] numberChars = new char[32];

    private String sensorId;
    private double value;
    private long timestamp;
    private boolean explicitTimestamp;
    private RejectReason reason;
    private String detail;

    public ReadingParser(double maxAbsValue) {
        this.maxAbsValue = maxAbsValue;
    }

    /** Parses one record; true when it is a valid reading, false with {@link #reason()} and {@link #detail()} set. */
    @Override
    public boolean parse(byte[] key, byte[] json, long recordTimestamp) {
        sensorId = null;
        reason = null;
        detail = null;
        if (key == null || key.length == 0) {
            return reject(RejectReason.MISSING_KEY, "the record has no key (the sensor id)");
        }
        if (key.length > MAX_KEY_LENGTH * 4) {
            return reject(RejectReason.KEY_TOO_LONG, "the key has " + key.length + " bytes; at most "
                    + MAX_KEY_LENGTH + " characters are allowed");
        }
        String id;
        if (isAscii(key)) {
            // Nearly every sensor id: copied as it is, without a decoder (one per record was the parse's largest cost).
            id = new String(key, StandardCharsets.US_ASCII);
        } else {
            try {
                id = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
            } catch (CharacterCodingException e) {
                return reject(RejectReason.BAD_KEY, "the key is not valid UTF-8");
            }
        }
        if (id.isBlank()) {
            return reject(RejectReason.MISSING_KEY, "the key is blank");
        }
        if (id.codePointCount(0, id.length()) > MAX_KEY_LENGTH) {
            return reject(RejectReason.KEY_TOO_LONG, "the key has " + id.codePointCount(0, id.length())
                    + " characters; at most " + MAX_KEY_LENGTH + " are allowed");
        }
        if (json == null || json.length == 0) {
            return reject(RejectReason.MALFORMED_JSON, "the value is empty");
        }
        timestamp = recordTimestamp;
        explicitTimestamp = false;
        if (parsePlainNumber(json)) {
            if (Math.abs(value) > maxAbsValue) {
                return reject(RejectReason.OUT_OF_RANGE, "|" + value + "| is over input.max-abs-value " + maxAbsValue);
            }
            sensorId = id;
            return true;
        }
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return reject(RejectReason.MALFORMED_JSON, "the value is blank");
            }
            boolean valid = token == JsonToken.START_OBJECT ? parseObject(parser)
                    : parseNumber(parser, token, "the value");
            if (!valid) {
                // Broken JSON is malformed whatever its first token looked like: check the whole value.
                String syntaxError = syntaxError(json);
                return syntaxError == null ? false : reject(RejectReason.MALFORMED_JSON, syntaxError);
            }
            if (parser.nextToken() != null) {
                return reject(RejectReason.MALFORMED_JSON, "unexpected content after the value");
            }
        } catch (IOException | RuntimeException e) {
            return reject(RejectReason.MALFORMED_JSON, firstLine(e));
        }
        if (Math.abs(value) > maxAbsValue) {
            return reject(RejectReason.OUT_OF_RANGE, "|" + value + "| is over input.max-abs-value " + maxAbsValue);
        }
        sensorId = id;
        return true;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /**
     * The fast path for the most common value, a bare JSON number such as {@code 21.437}: checked against JSON's
     * number grammar and parsed without creating a JSON parser (creating one per record cost as much as the rest of
     * the parse). Anything else, or a number that is not finite, is left to the full parser and its error messages.
     * <pre>
     *   number = [-] (0 | [1-9] digit*) [. digit+] [(e|E) [+|-] digit+]
     * </pre>
     */
    private boolean parsePlainNumber(byte[] json) {
        int n = json.length;
        if (n > numberChars.length) {
            return false;
        }
        int i = json[0] == '-' ? 1 : 0;
        if (i == n) {
            return false;
        }
        if (json[i] == '0') {
            i++;
        } else if (json[i] >= '1' && json[i] <= '9') {
            while (i < n && isDigit(json[i])) {
                i++;
            }
        } else {
            return false;
        }
        if (i < n && json[i] == '.') {
            int start = ++i;
            while (i < n && isDigit(json[i])) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i < n && (json[i] == 'e' || json[i] == 'E')) {
            i++;
            if (i < n && (json[i] == '+' || json[i] == '-')) {
                i++;
            }
            int start = i;
            while (i < n && isDigit(json[i])) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i != n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            numberChars[k] = (char) json[k];
        }
        double v = NumberInput.parseDouble(numberChars, 0, n, true);
        if (!Double.isFinite(v)) {
            return false;
        }
        value = v;
        return true;
    }

    /** Why {@code json} is not one well-formed JSON value, or null when it is. */
    private static String syntaxError(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            parser.skipChildren();
            return parser.nextToken() == null ? null : "unexpected content after the value";
        } catch (IOException | RuntimeException e) {
            return firstLine(e);
        }
    }

    private static String firstLine(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }

    private boolean parseObject(JsonParser parser) throws IOException {
        boolean hasValue = false;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken fieldValue = parser.nextToken();
            if ("value".equals(field)) {
                if (!parseNumber(parser, fieldValue, "\"value\"")) {
                    return false;
                }
                hasValue = true;
            } else if ("timestamp".equals(field)) {
                if (!parseTimestamp(parser, fieldValue)) {
                    return false;
                }
            } else {
                parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            return reject(RejectReason.MALFORMED_JSON, "the object is not closed");
        }
        if (!hasValue) {
            return reject(RejectReason.NOT_A_NUMBER, "the object has no \"value\"");
        }
        return true;
    }

    private boolean parseNumber(JsonParser parser, JsonToken token, String what) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            return reject(RejectReason.NOT_A_NUMBER, what + " is " + describe(token) + ", not a number");
        }
        double v = parser.getDoubleValue();
        if (!Double.isFinite(v)) {
            return reject(RejectReason.NON_FINITE, what + " " + parser.getText() + " is not a finite number");
        }
        value = v;
        return true;
    }

    private boolean parseTimestamp(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return reject(RejectReason.BAD_TIMESTAMP, "\"timestamp\" " + abbreviate(parser.getText())
                        + " is out of range for epoch milliseconds");
            }
            long t = parser.getLongValue();
            if (t < 0) {
                return reject(RejectReason.BAD_TIMESTAMP, "\"timestamp\" " + t + " is before 1970");
            }
            // Epoch milliseconds, except a number below 1e11 (before March 1973 as milliseconds): a sensor sending
            // epoch seconds, which would otherwise be stamped in 1970.
            timestamp = t < TimestampUnit.SECONDS_BELOW ? t * 1000 : t;
            explicitTimestamp = true;
            return true;
        }
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            try {
                timestamp = OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    timestamp = Instant.parse(text).toEpochMilli();
                } catch (DateTimeParseException e2) {
                    return reject(RejectReason.BAD_TIMESTAMP, "\"timestamp\" '" + abbreviate(text)
                            + "' is neither ISO-8601 nor epoch milliseconds");
                }
            } catch (ArithmeticException e) {
                return reject(RejectReason.BAD_TIMESTAMP, "\"timestamp\" '" + abbreviate(text) + "' is out of range");
            }
            if (timestamp < 0) {
                return reject(RejectReason.BAD_TIMESTAMP, "\"timestamp\" '" + abbreviate(text) + "' is before 1970");
            }
            explicitTimestamp = true;
            return true;
        }
        if (token == JsonToken.VALUE_NULL) {
            return true;
        }
        return reject(RejectReason.BAD_TIMESTAMP, "\"timestamp\" is " + describe(token)
                + "; expected ISO-8601 text or epoch milliseconds");
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "missing";
        }
        switch (token) {
            case VALUE_STRING:
                return "a string";
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.asString() == null ? token.name() : token.asString();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    private boolean reject(RejectReason why, String message) {
        reason = why;
        detail = message;
        return false;
    }

    @Override
    public String sensorId() {
        return sensorId;
    }

    /** Whether the reading gave its own timestamp; false: it has the record's. */
    @Override
    public boolean hasExplicitTimestamp() {
        return explicitTimestamp;
    }

    @Override
    public double value() {
        return value;
    }

    @Override
    public long timestamp() {
        return timestamp;
    }

    @Override
    public RejectReason reason() {
        return reason;
    }

    @Override
    public String detail() {
        return detail;
    }

    /** The auto format dead-letters the original bytes. */
    @Override
    public byte[] deadLetterValue(byte[] value) {
        return value;
    }
}
