package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The soak's verdict fails a stalled or slowed minute and a figure that is missing, not only one that grew. */
@Tag("unit")
class SoakMinutesTest {

    private static final long PER_MINUTE = 300_000;

    private static SoakMinutes.Minute minute(int number, long forecasts, double p99) {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("live heap MB", 120.0);
        figures.put("resident MB", 600.0);
        figures.put("open files", 300.0);
        figures.put("threads", 60.0);
        figures.put("p99 ms", p99);
        return new SoakMinutes.Minute(number, PER_MINUTE, forecasts, figures);
    }

    private static List<SoakMinutes.Minute> steady(int count) {
        List<SoakMinutes.Minute> minutes = new ArrayList<>();
        for (int m = 1; m <= count; m++) {
            minutes.add(minute(m, PER_MINUTE - 10, 150));
        }
        return minutes;
    }

    @Test
    void aSteadyRunPasses() {
        assertEquals(List.of(), SoakMinutes.problems(steady(12), 1.10));
    }

    @Test
    void aStalledMinuteFailsTheRunThoughItsNaNLatencyComparesWithNothing() {
        List<SoakMinutes.Minute> minutes = steady(12);
        minutes.set(7, minute(8, 0, Double.NaN));

        List<String> problems = SoakMinutes.problems(minutes, 1.10);

        assertTrue(problems.contains("minute 8: no forecast (300000 readings produced)"), problems.toString());
        assertTrue(problems.contains("minute 8: p99 ms is NaN"), problems.toString());
    }

    @Test
    void aMinuteWhereFewReadingsCameBackFails() {
        List<SoakMinutes.Minute> minutes = steady(12);
        minutes.set(10, minute(11, PER_MINUTE / 2, 150));

        List<String> problems = SoakMinutes.problems(minutes, 1.10);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("minute 11: 150000 forecasts for 300000 readings"), problems.get(0));
    }

    @Test
    void aLastSixthStalledThroughoutFailsTheGrowthCheckToo() {
        List<SoakMinutes.Minute> minutes = steady(12);
        minutes.set(10, minute(11, 0, Double.NaN));
        minutes.set(11, minute(12, 0, Double.NaN));

        assertTrue(SoakMinutes.problems(minutes, 1.10).contains("p99 ms grew: 150.0 -> NaN"));
    }

    @Test
    void aFigureThatGrewFails() {
        List<SoakMinutes.Minute> minutes = steady(12);
        minutes.set(10, minute(11, PER_MINUTE, 400));
        minutes.set(11, minute(12, PER_MINUTE, 400));

        assertEquals(List.of("p99 ms grew: 150.0 -> 400.0"), SoakMinutes.problems(minutes, 1.10));
    }
}
