package dev.streamcast.wire;

import com.fasterxml.jackson.core.io.NumberInput;

/**
 * Decimal numbers written as text (CSV columns, line protocol fields), checked against one grammar before they are
 * parsed, since Java's own parser also takes what no sensor means ({@code 0x1p3}, {@code 21.5f}, {@code 1d}):
 * <pre>
 *   decimal = [+|-] (digit+ [. digit*] | . digit+) [(e|E) [+|-] digit+]
 *   non-finite = [+|-] (NaN | Inf | Infinity), any case
 * </pre>
 */
public final class DecimalText {

    private DecimalText() {
    }

    /** Whether {@code s[from, to)} is a decimal number. */
    public static boolean isDecimal(CharSequence s, int from, int to) {
        int i = from;
        if (i < to && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < to && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < to && s.charAt(i) == '.') {
            i++;
            while (i < to && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < to && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < to && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            while (i < to && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        return i == to;
    }

    /** Whether {@code s[from, to)} is an integer: [+|-] digit+. */
    public static boolean isInteger(CharSequence s, int from, int to) {
        int i = from;
        if (i < to && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        if (i == to) {
            return false;
        }
        for (; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} names a non-finite number (NaN, Inf, Infinity, signed, any case). */
    public static boolean isNonFinite(String s) {
        String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        return t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity");
    }

    /** The value of a decimal {@code s} ({@link #isDecimal}); infinite when beyond a double. */
    public static double parse(String s) {
        return NumberInput.parseDouble(s, true);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
