package dev.streamcast.cli.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DemoSummaryTest {

    @Test
    void aLineCountsSensorsForecastsSinceTheLastLineTheLatestModelAndDeadLetters() {
        DemoSummary summary = new DemoSummary();
        assertEquals("[    0s] 0/10 sensors | 0 forecasts (+0) | model none yet | 0 bad records to the DLQ",
                summary.line(0, 10));
        summary.forecast("a", "naive", 0, 1.0);
        summary.forecast("b", "naive", 0, 2.0);
        summary.deadLetter();
        assertEquals("[   10s] 2/10 sensors | 2 forecasts (+2) | model naive v0 | 1 bad records to the DLQ"
                + " | last: b -> 2.00",
                summary.line(10, 10));
        summary.forecast("a", "lstm", 1, 21.456789);
        assertEquals("[   20s] 2/10 sensors | 3 forecasts (+1) | model lstm v1 | 1 bad records to the DLQ"
                + " | last: a -> 21.46",
                summary.line(20, 10));
    }
}
