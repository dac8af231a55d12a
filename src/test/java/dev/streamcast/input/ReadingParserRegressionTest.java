package dev.streamcast.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Found by the fuzz scenario's generator (faults.MalformedRecords): the parser decides on the first token, so broken
 * JSON that starts like a string or an array, and a value of blanks only, are refused as {@code not-a-number}
 * instead of {@code malformed-json}; an epoch timestamp beyond a long is refused as {@code malformed-json} instead
 * of {@code bad-timestamp}. Nothing is lost (each goes to the dead-letter topic), but the reason points whoever
 * triages the dead letters at the wrong mistake. docs/design.md, "Readings: what is accepted": malformed-json
 * is "not JSON ..., an empty value"; bad-timestamp is "a timestamp that is neither ISO-8601 nor epoch milliseconds".
 */
@Tag("unit")
class ReadingParserRegressionTest {

    private final ReadingParser parser = new ReadingParser(1e12);

    @ParameterizedTest
    @ValueSource(strings = {"\"unterminated", "[1, 2", "{\"value\": [1, }", "[1, 2]]", "\"a\" \"b\"", " ", "\n\t"})
    void brokenJsonIsMalformedWhateverItsFirstToken(String value) {
        assertFalse(parser.parse(utf8("sensor-1"), utf8(value), 0));
        assertEquals("malformed-json", parser.reason().code(), "'" + value + "': " + parser.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "-99999999999999999999"})
    void anEpochTimestampBeyondALongIsABadTimestamp(String timestamp) {
        assertFalse(parser.parse(utf8("sensor-1"), utf8("{\"value\": 1.5, \"timestamp\": " + timestamp + "}"), 0));
        assertEquals("bad-timestamp", parser.reason().code(), parser.detail());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
