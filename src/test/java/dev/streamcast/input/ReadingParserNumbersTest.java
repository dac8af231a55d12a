package dev.streamcast.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.wire.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Bare numbers take a fast path; it must read every number exactly as the JSON parser does. */
@Tag("unit")
class ReadingParserNumbersTest {

    private final ReadingParser parser = new ReadingParser(1e300);

    private boolean parse(String value) {
        return parser.parse("s".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), 0);
    }

    @Test
    void aBareNumberReadsAsTheSameDoubleAsTheSameNumberInAnObject() {
        Random random = new Random(11);
        for (int k = 0; k < 20_000; k++) {
            double v = switch (k % 4) {
                case 0 -> Math.round(random.nextGaussian() * 1e5) / 1000.0;
                case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(-300, 300));
                case 2 -> random.nextInt(-1_000_000, 1_000_000);
                default -> Double.longBitsToDouble(random.nextLong()) % 1e200;
            };
            if (!Double.isFinite(v)) {
                continue;
            }
            for (String text : List.of(Double.toString(v), String.format(Locale.ROOT, "%.17g", v).trim(),
                    String.format(Locale.ROOT, "%.3f", v))) {
                assertTrue(parse("{\"value\":" + text + "}"), text);
                double viaObject = parser.value();
                assertTrue(parse(text), text);
                assertEquals(Double.doubleToLongBits(viaObject), Double.doubleToLongBits(parser.value()), text);
            }
        }
    }

    @Test
    void textThatIsNotOneJsonNumberIsRefusedAsBefore() {
        for (String text : List.of("+1", ".5", "1.", "01", "1e", "1e+", "--1", "1 2", "0x10", "1,5", "NaN", "-")) {
            assertFalse(parse(text), text);
            assertTrue(parser.reason() == RejectReason.MALFORMED_JSON || parser.reason() == RejectReason.NOT_A_NUMBER
                    || parser.reason() == RejectReason.NON_FINITE, text + ": " + parser.reason());
        }
        assertFalse(parse("1e400"));
        assertEquals(RejectReason.NON_FINITE, parser.reason());
        assertTrue(parse(" 21.5 "), "whitespace around a number: the full parser accepts it");
        assertEquals(21.5, parser.value());
    }

    @Test
    void whatTheWriterWritesTheParserReadsBackExactly() {
        Random random = new Random(5);
        for (int k = 0; k < 5_000; k++) {
            double v = random.nextGaussian() * Math.pow(10, random.nextInt(-30, 30));
            long t = 1_764_216_000_000L + random.nextInt(1_000_000_000);
            assertTrue(parser.parse("s".getBytes(StandardCharsets.UTF_8), ReadingParser.toJson(v, t), 0),
                    new String(ReadingParser.toJson(v, t), StandardCharsets.UTF_8));
            assertEquals(v, parser.value());
            assertEquals(t, parser.timestamp());
            assertTrue(parser.hasExplicitTimestamp());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ReadingParser.toJson(Double.NaN, 0));
    }
}
