package dev.streamcast.wire;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * How the mapped input formats read a timestamp ({@code input.timestamp.unit}): epoch seconds, milliseconds,
 * microseconds, nanoseconds, ISO-8601 text, or {@code auto}, which tells them apart by their magnitude:
 * <pre>
 *   text                      ISO-8601
 *   0 &lt;= n &lt; 1e11             seconds       (1e11 ms is March 1973: a sensor sending seconds, not a 1970 reading)
 *   1e11 &lt;= n &lt; 1e14          milliseconds
 *   1e14 &lt;= n &lt; 1e17          microseconds
 *   1e17 &lt;= n                 nanoseconds
 * </pre>
 * Every method returns epoch milliseconds, or {@link #INVALID} for a timestamp before 1970, beyond a long's
 * milliseconds, or not in the unit; the caller says which.
 */
public enum TimestampUnit {
    AUTO("auto"), SECONDS("s"), MILLISECONDS("ms"), MICROSECONDS("us"), NANOSECONDS("ns"), ISO("iso");

    /** What a conversion returns for a timestamp it cannot read. */
    public static final long INVALID = Long.MIN_VALUE;
    /** Under auto (and in the auto input format), a number below this is epoch seconds. */
    public static final long SECONDS_BELOW = 100_000_000_000L;
    static final long MILLISECONDS_BELOW = 100_000_000_000_000L;
    static final long MICROSECONDS_BELOW = 100_000_000_000_000_000L;

    private final String code;

    TimestampUnit(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The unit of {@code input.timestamp.unit}'s value, or null when it names none. */
    public static TimestampUnit of(String code) {
        for (TimestampUnit unit : values()) {
            if (unit.code.equals(code.toLowerCase(Locale.ROOT))) {
                return unit;
            }
        }
        return null;
    }

    /** The unit a number of this magnitude is in: this one, or under auto the one the table above gives. */
    private TimestampUnit unitOf(double magnitude) {
        if (this != AUTO) {
            return this;
        }
        if (magnitude < SECONDS_BELOW) {
            return SECONDS;
        }
        if (magnitude < MILLISECONDS_BELOW) {
            return MILLISECONDS;
        }
        return magnitude < MICROSECONDS_BELOW ? MICROSECONDS : NANOSECONDS;
    }

    /** An integer timestamp in this unit as epoch milliseconds (microseconds and nanoseconds rounded down). */
    public long toMillis(long n) {
        if (n < 0) {
            return INVALID;
        }
        switch (unitOf(n)) {
            case SECONDS:
                return n > Long.MAX_VALUE / 1000 ? INVALID : n * 1000;
            case MILLISECONDS:
                return n;
            case MICROSECONDS:
                return n / 1000;
            case NANOSECONDS:
                return n / 1_000_000;
            default:
                return INVALID;
        }
    }

    /** A decimal timestamp ({@code 1733500000.25} seconds) as epoch milliseconds, rounded to the nearest. */
    public long toMillis(double d) {
        if (!(d >= 0) || Double.isInfinite(d)) {
            return INVALID;
        }
        double millis;
        switch (unitOf(d)) {
            case SECONDS:
                millis = d * 1000;
                break;
            case MILLISECONDS:
                millis = d;
                break;
            case MICROSECONDS:
                millis = d / 1000;
                break;
            case NANOSECONDS:
                millis = d / 1_000_000;
                break;
            default:
                return INVALID;
        }
        // Long.MAX_VALUE as a double rounds up to 2^63, itself out of range.
        return millis >= 0x1p63 ? INVALID : Math.round(millis);
    }

    /**
     * A timestamp written as text (a CSV column, a JSON string): a decimal number is read in this unit; any other
     * text, under auto and iso, is ISO-8601 with an offset or a Z.
     */
    public long fromText(String text) {
        String t = text.trim();
        if (DecimalText.isDecimal(t, 0, t.length())) {
            if (this == ISO) {
                return INVALID;
            }
            if (DecimalText.isInteger(t, 0, t.length()) && t.length() <= 18) {
                return toMillis(Long.parseLong(t.startsWith("+") ? t.substring(1) : t));
            }
            return toMillis(Double.parseDouble(t));
        }
        if (this != AUTO && this != ISO) {
            return INVALID;
        }
        return iso(t);
    }

    /** ISO-8601 text ({@code 2026-12-07T06:00:00Z}, {@code 2026-12-07T07:00:00+01:00}) as epoch milliseconds. */
    static long iso(String text) {
        long millis;
        try {
            millis = OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            try {
                millis = Instant.parse(text).toEpochMilli();
            } catch (DateTimeException | ArithmeticException e2) {
                return INVALID;
            }
        } catch (ArithmeticException e) {
            return INVALID;
        }
        return millis < 0 ? INVALID : millis;
    }

    /** What a refusal says this unit expects. */
    public String expected() {
        switch (this) {
            case AUTO:
                return "ISO-8601 text or an epoch time in s, ms, us or ns";
            case ISO:
                return "ISO-8601 text";
            default:
                return "epoch " + code;
        }
    }
}
