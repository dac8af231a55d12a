package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The internal errors of the last minute: each counted in its second, none older than 60 seconds. */
@Tag("unit")
class InternalErrorRateTest {

    private static final long T = 1_780_000_000_000L;

    @Test
    void countsTheErrorsOfTheSixtySecondsEndingNow() {
        InternalErrorRate rate = new InternalErrorRate();
        rate.record(T);
        rate.record(T + 400);
        rate.record(T + 30_000);

        assertEquals(3, rate.lastMinute(T + 30_000));
        assertEquals(3, rate.lastMinute(T + 59_999));
        assertEquals(1, rate.lastMinute(T + 60_000), "the first second has left the minute");
        assertEquals(0, rate.lastMinute(T + 90_000));
    }

    @Test
    void aSecondsBucketReusedAMinuteLaterCountsOnlyItsNewErrors() {
        InternalErrorRate rate = new InternalErrorRate();
        for (int i = 0; i < 5; i++) {
            rate.record(T + 1_000);
        }
        rate.record(T + 61_000);

        assertEquals(1, rate.lastMinute(T + 61_000));
    }
}
