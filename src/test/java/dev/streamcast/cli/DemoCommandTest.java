package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("broker")
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void theDemoSaysItMixesInBadRecordsAndPrintsACompactSummaryWithAFirstTrainedModelWithinAMinute() {
        CliRun run = CliRun.of("demo", "--duration", "40", "--rate", "4", "--every", "5",
                "--set", "embedded.kafka.port=0", "--set", "embedded.kafka.dir=" + dir.resolve("kafka"),
                "--set", "kafka.state.dir=" + dir.resolve("state"), "--set", "http.port=0");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().strip().lines().toList();
        assertTrue(lines.get(0).contains("deliberately bad") && lines.get(0).contains("streamcast-dlq"),
                "the banner says bad records are mixed in:\n" + run.out());
        List<String> summaries = lines.stream().filter(l -> l.startsWith("[")).toList();
        // one line per 5 s, not one per forecast (40 s at 4 readings/s over 10 sensors: about 1,600 forecasts)
        assertTrue(summaries.size() >= 3 && summaries.size() <= 9, "summary lines:\n" + run.out());
        assertTrue(lines.contains("Streamcast is ready: forecasting (GET /ready answers 200)."), run.out());
        assertEquals(summaries.size() + 3, lines.size(), "nothing but the banner, the ready line and the summaries:\n"
                + run.out());
        String last = summaries.get(summaries.size() - 1);
        assertTrue(last.contains("10/10 sensors"), last);
        // The summary names the last forecast's forecaster: a trained model's version, or naive where the per-sensor
        // floor serves the last value; a trained model must have served within the 40 s.
        assertTrue(summaries.stream().anyMatch(l -> l.matches(".*\\| model lstm v[1-9]\\d* \\|.*")),
                "a trained model within 40 s:\n" + run.out());
        assertTrue(summaries.stream().anyMatch(l -> l.contains("model naive v0")), "naive forecasts first:\n"
                + run.out());
        assertTrue(last.matches(".*\\| [1-9]\\d* bad records to the DLQ.*"), "bad records counted:\n" + run.out());
        assertTrue(last.matches(".* -> -?\\d+\\.\\d{2}$"), "two decimals, not full precision: " + last);
    }
}
