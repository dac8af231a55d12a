package dev.streamcast.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The text of computed numbers (forecasts, bounds, scores): nine significant digits, plain notation. */
@Tag("unit")
class ComputedTextsTest {

    private static String text(double value) {
        char[] out = new char[32];
        int n = JsonMessageWriter.ComputedTexts.format(value, out);
        return n < 0 ? null : new String(out, 0, n);
    }

    @Test
    void writesNineSignificantDigitsAsADoubleLooks() {
        assertEquals("20.0212631", text(20.02126311815971));
        assertEquals("-20.0212631", text(-20.02126311815971));
        assertEquals("19.7", text(19.7));
        assertEquals("21.0", text(21.0));
        assertEquals("0.806245081", text(0.8062450809324155));
        assertEquals("0.0000123456789", text(1.234567891234e-5));
        assertEquals("1700000120.0", text(1_700_000_123.4));
        assertEquals("123456789000000.0", text(1.234567891234e14));
        assertEquals("1000.0", text(999.9999999999));
        assertEquals("0.0", text(0.0));
        assertEquals("-0.0", text(-0.0));
    }

    @Test
    void leavesTheNumbersOutsideThePlainRangeToTheFullText() {
        assertNull(text(1e15));
        assertNull(text(9.9e-6));
        assertNull(text(Double.NaN));
        assertNull(text(Double.POSITIVE_INFINITY));
    }

    /** Against BigDecimal's rounding of the double's exact value, over magnitudes across the whole plain range. */
    @Test
    void agreesWithBigDecimalRoundingToNineDigits() {
        SplittableRandom random = new SplittableRandom(27);
        MathContext nine = new MathContext(JsonMessageWriter.ComputedTexts.DIGITS, RoundingMode.HALF_UP);
        for (int i = 0; i < 200_000; i++) {
            double value = (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble(-5, 15));
            if (i % 7 == 0) {
                // Values on a decimal grid, as the bounds snapped to a sensor's resolution are.
                value = Math.round(value * 100) / 100.0;
                if (Math.abs(value) < 1e-5) {
                    continue;
                }
            }
            String written = text(value);
            BigDecimal expected = new BigDecimal(value).round(nine);
            // Within half a unit of the ninth digit of the exact value (the scaling's one rounding may differ from
            // BigDecimal's on an exact tie), and never more than nine significant digits.
            BigDecimal got = new BigDecimal(written);
            BigDecimal ulp = expected.ulp();
            assertTrue(got.subtract(expected).abs().compareTo(ulp) <= 0, value + " -> " + written + ", " + expected);
            assertTrue(got.stripTrailingZeros().precision() <= JsonMessageWriter.ComputedTexts.DIGITS, written);
            assertEquals(Math.signum(value), Math.signum(Double.parseDouble(written)), written);
        }
    }

    @Test
    void roundingKeepsABoundsOrder() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            double lower = random.nextDouble(-1000, 1000);
            double forecast = lower + random.nextDouble() * 1e-6;
            double upper = forecast + random.nextDouble() * 1e-6;
            double l = Double.parseDouble(text(lower));
            double f = Double.parseDouble(text(forecast));
            double u = Double.parseDouble(text(upper));
            assertTrue(l <= f && f <= u, lower + " " + forecast + " " + upper);
        }
    }

    /** A reading's number: the same text as Jackson's shortest, whether the short path or Jackson's writes it. */
    @Test
    void aReadingsNumberIsWrittenAsJacksonWritesIt() {
        SplittableRandom random = new SplittableRandom(11);
        JsonMessageWriter.DoubleTexts texts = new JsonMessageWriter.DoubleTexts();
        char[] out = new char[32];
        int shortPath = 0;
        for (int i = 0; i < 300_000; i++) {
            double value;
            switch (i % 3) {
                // Readings of a few decimals, as sensors send them: 21.5, 1013.25, 0.004.
                case 0 -> value = random.nextLong(-100_000_000, 100_000_000) / Math.pow(10, random.nextInt(0, 9));
                // Every digit a double has.
                case 1 -> value = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-6, 10));
                default -> value = Math.round(random.nextDouble(-1e4, 1e4) * 100) / 100.0 + 1e-13;
            }
            String jackson = com.fasterxml.jackson.core.io.NumberOutput.toString(value, true);
            assertEquals(jackson, texts.text(value), "" + value);
            int n = JsonMessageWriter.ComputedTexts.formatIfExact(value, out);
            if (n >= 0) {
                shortPath++;
                assertEquals(jackson, new String(out, 0, n));
            }
        }
        for (double zero : new double[] {0.0, -0.0}) {
            assertEquals(com.fasterxml.jackson.core.io.NumberOutput.toString(zero, true), texts.text(zero));
        }
        assertTrue(shortPath > 80_000, "the short path wrote the readings of a few decimals: " + shortPath);
    }
}
