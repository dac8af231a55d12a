package dev.streamcast.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Records the service must refuse, each with the dead-letter reason(s) it may be refused for. They cover what
 * real producers get wrong: random bytes, broken and deeply nested JSON, numbers as strings, NaN and Infinity,
 * 1e308, empty and 10 kB keys, timestamps far in the past and the future, invalid UTF-8. A record whose key is a
 * real sensor's id interleaves with that sensor's valid readings, so a refusal that touched the sensor's window
 * would show in the forecasts.
 */
final class MalformedRecords {

    /**
     * One record to refuse.
     *
     * @param kind         which family of mistakes it belongs to (for the report)
     * @param reasons      the reasons it may be refused for (usually one)
     * @param needsReading only meaningful after the sensor has a reading ({@code late}): sent after its first one
     */
    record Bad(String kind, byte[] key, byte[] value, Set<String> reasons, boolean needsReading) {
        String describe() {
            String v = value == null ? "null" : new String(value, 0, Math.min(value.length, 60),
                    StandardCharsets.ISO_8859_1);
            return kind + " key(" + (key == null ? "null" : key.length + " bytes") + ") value '" + v
                    + (value != null && value.length > 60 ? "...' (" + value.length + " bytes)" : "'") + " expected "
                    + reasons;
        }
    }

    private static final Set<String> MALFORMED = Set.of("malformed-json");
    private static final Set<String> NOT_A_NUMBER = Set.of("not-a-number");
    private static final Set<String> NON_FINITE = Set.of("non-finite");
    private static final Set<String> OUT_OF_RANGE = Set.of("out-of-range");
    private static final Set<String> MISSING_KEY = Set.of("missing-key");
    private static final Set<String> KEY_TOO_LONG = Set.of("key-too-long");
    private static final Set<String> BAD_KEY = Set.of("bad-key");
    private static final Set<String> BAD_TIMESTAMP = Set.of("bad-timestamp");
    private static final Set<String> FUTURE = Set.of("future");
    private static final Set<String> LATE = Set.of("late");

    static final List<String> BROKEN_JSON = List.of("{\"value\": 21.5", "{\"value\": 21.5,}", "{\"value\":}",
            "{\"value\" 21.5}", "{value: 21.5}", "21.5 22", "{\"value\": 21.5}}", "{\"value\": 21.5} x",
            "{\"value\": 21.5, \"timestamp\": }", "{", "}", "{\"value\": 2..5}", "--1", "0x10",
            ".5", "+1", "01", "tru", "{\"value\": 21.5, \"value\"}", "21,5", "\u0000");
    /**
     * Broken JSON whose first token is a string or an array, and a value of blanks only: the service refuses these
     * as not-a-number today, without reading on to the syntax error (see ReadingParserRegressionTest); either reason
     * is accepted here so the scenario checks what it is for, that nothing is lost and nothing stops.
     */
    static final List<String> BROKEN_JSON_MISREAD = List.of("\"unterminated", "[1, 2", "{\"value\": [1, }", " ");
    static final List<String> NOT_NUMBERS = List.of("\"21.5\"", "{\"value\": \"21.5\"}", "{\"value\": \"NaN\"}",
            "true", "null", "[21.5]", "{\"val\": 21.5}", "{}", "{\"value\": null}", "{\"value\": {\"x\": 1}}",
            "{\"value\": false}", "{\"timestamp\": 1700000000000}");
    static final List<String> NON_FINITE_VALUES = List.of("NaN", "Infinity", "-Infinity", "{\"value\": NaN}",
            "{\"value\": -Infinity}", "1e400", "-1e400", "{\"value\": 1e999}");
    static final List<String> HUGE_VALUES = List.of("1e308", "-1e308", "{\"value\": 1e308}",
            "1.7976931348623157e308", "1e13", "{\"value\": -5e12}");

    private final Random random;
    private final List<String> sensorIds;
    private final long now;
    private int next;

    /**
     * @param sensorIds real sensors' ids, used as the key of records whose key is not the mistake
     * @param now       the wall clock the service will see, within minutes
     */
    MalformedRecords(Random random, List<String> sensorIds, long now) {
        this.random = random;
        this.sensorIds = sensorIds;
        this.now = now;
    }

    /** {@code count} bad records, cycling through every family so even a small count covers them all. */
    List<Bad> generate(int count) {
        List<Bad> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(nextBad());
        }
        return out;
    }

    private Bad nextBad() {
        int family = next++ % 13;
        switch (family) {
            case 0:
                return randomBytes();
            case 1:
                return random.nextInt(4) == 0
                        ? text("broken-json-misread", pick(BROKEN_JSON_MISREAD),
                                Set.of("malformed-json", "not-a-number"))
                        : text("broken-json", pick(BROKEN_JSON), MALFORMED);
            case 2:
                return deeplyNested();
            case 3:
                return text("number-as-string", pick(NOT_NUMBERS), NOT_A_NUMBER);
            case 4:
                return text("nan-infinity", pick(NON_FINITE_VALUES), NON_FINITE);
            case 5:
                return text("huge-number", pick(HUGE_VALUES), OUT_OF_RANGE);
            case 6:
                return emptyKey();
            case 7:
                return longKey();
            case 8:
                return pastTimestamp();
            case 9:
                return futureTimestamp();
            case 10:
                return invalidUtf8();
            case 11:
                boolean tombstone = random.nextBoolean();
                return new Bad(tombstone ? "null-value" : "empty-value", sensorKey(), tombstone ? null : new byte[0],
                        MALFORMED, false);
            default:
                return badTimestamp();
        }
    }

    private Bad randomBytes() {
        byte[] value = new byte[1 + random.nextInt(200)];
        random.nextBytes(value);
        // Starts with a UTF-8 continuation byte: no JSON text (nor a byte-order mark) starts so, whatever follows.
        value[0] = (byte) (0x80 + random.nextInt(0x40));
        return new Bad("random-bytes", sensorKey(), value, MALFORMED, false);
    }

    private Bad deeplyNested() {
        int depth = 1_000 + random.nextInt(9_000);
        switch (random.nextInt(3)) {
            case 0:
                // Refused at its first token as not-a-number today; as malformed-json (deeper than the parser's
                // nesting limit) once the parser reads the whole document (ReadingParserRegressionTest).
                return text("deep-array", "[".repeat(depth) + "]".repeat(depth), Set.of("not-a-number",
                        "malformed-json"));
            case 1:
                return text("deep-object", "{\"a\":".repeat(depth) + "1" + "}".repeat(depth), Set.of("malformed-json",
                        "not-a-number"));
            default:
                return text("deep-extra-field", "{\"value\": 1.5, \"meta\": " + "{\"a\":".repeat(depth) + "1"
                        + "}".repeat(depth) + "}", MALFORMED);
        }
    }

    private Bad emptyKey() {
        switch (random.nextInt(3)) {
            case 0:
                return new Bad("null-key", null, utf8("21.5"), MISSING_KEY, false);
            case 1:
                return new Bad("empty-key", new byte[0], utf8("21.5"), MISSING_KEY, false);
            default:
                return new Bad("blank-key", utf8(" \t "), utf8("21.5"), MISSING_KEY, false);
        }
    }

    private Bad longKey() {
        int length = random.nextBoolean() ? 10_240 : 257;
        return new Bad("long-key", utf8("k".repeat(length)), utf8("21.5"), KEY_TOO_LONG, false);
    }

    private Bad pastTimestamp() {
        switch (random.nextInt(4)) {
            case 0:
                return text("negative-timestamp", "{\"value\": 1.5, \"timestamp\": -1}", BAD_TIMESTAMP);
            case 1:
                return text("timestamp-1900", "{\"value\": 1.5, \"timestamp\": \"1900-01-01T00:00:00Z\"}",
                        BAD_TIMESTAMP);
            case 2:
                // Valid in itself, but older than the sensor's readings: late (the value differs from the window's).
                return new Bad("timestamp-1970", sensorKey(), utf8("{\"value\": -777.25, \"timestamp\": 1000}"), LATE,
                        true);
            default:
                return new Bad("timestamp-2001", sensorKey(), utf8("{\"value\": -777.25, \"timestamp\": "
                        + "\"2001-09-09T01:46:40Z\"}"), LATE, true);
        }
    }

    private Bad futureTimestamp() {
        switch (random.nextInt(3)) {
            case 0:
                return text("timestamp-in-10-days", "{\"value\": 1.5, \"timestamp\": " + (now + 10L * 86_400_000)
                        + "}", FUTURE);
            case 1:
                return text("timestamp-year-3000", "{\"value\": 1.5, \"timestamp\": \"3000-01-01T00:00:00Z\"}", FUTURE);
            default:
                return text("timestamp-long-max", "{\"value\": 1.5, \"timestamp\": " + Long.MAX_VALUE + "}", FUTURE);
        }
    }

    private Bad badTimestamp() {
        List<String> values = List.of("{\"value\": 1.5, \"timestamp\": \"yesterday\"}",
                "{\"value\": 1.5, \"timestamp\": true}", "{\"value\": 1.5, \"timestamp\": 1.5e12}",
                "{\"value\": 1.5, \"timestamp\": \"2026-13-45T99:00:00Z\"}", "{\"value\": 1.5, \"timestamp\": [1]}",
                "{\"value\": 1.5, \"timestamp\": \"+999999999-12-31T23:59:59Z\"}",
                "{\"value\": 1.5, \"timestamp\": \"-999999999-01-01T00:00:00Z\"}");
        if (random.nextInt(8) == 0) {
            // Epoch milliseconds beyond a long: refused as malformed-json today (ReadingParserRegressionTest).
            return text("timestamp-beyond-long", "{\"value\": 1.5, \"timestamp\": 99999999999999999999}",
                    Set.of("bad-timestamp", "malformed-json"));
        }
        return text("bad-timestamp", pick(values), BAD_TIMESTAMP);
    }

    private Bad invalidUtf8() {
        switch (random.nextInt(4)) {
            case 0:
                return new Bad("invalid-utf8-key", new byte[] {'s', (byte) 0xC3, 0x28}, utf8("21.5"), BAD_KEY, false);
            case 1:
                // An overlong encoding of '/': decoders that accept it open the door to filter bypasses.
                return new Bad("overlong-utf8-key", new byte[] {'s', (byte) 0xC0, (byte) 0xAF}, utf8("21.5"), BAD_KEY,
                        false);
            case 2:
                return new Bad("invalid-utf8-trailing", sensorKey(), concat(utf8("21.5"), new byte[] {(byte) 0xFF}),
                        MALFORMED, false);
            default:
                return new Bad("invalid-utf8-string", sensorKey(), concat(utf8("{\"value\": 1.5, \"note\": \"a"),
                        new byte[] {(byte) 0xC3, 0x28}, utf8("\"}")), MALFORMED, false);
        }
    }

    private Bad text(String kind, String value, Set<String> reasons) {
        return new Bad(kind, sensorKey(), utf8(value), reasons, false);
    }

    private byte[] sensorKey() {
        return utf8(sensorIds.get(random.nextInt(sensorIds.size())));
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
