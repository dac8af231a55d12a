package dev.streamcast.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a scenario did, as it goes: printed to the test's stdout and appended to
 * {@code target/fault-suite/results.txt}, from which the latest results are copied into BENCHMARKS.md.
 */
final class ScenarioLog {

    private static final Path RESULTS = Path.of("target", "fault-suite", "results.txt");

    private final String scenario;
    private final long start = System.nanoTime();

    ScenarioLog(String scenario) {
        this.scenario = scenario;
    }

    void say(String message) {
        System.out.printf("[%s +%5.1fs] %s%n", scenario, (System.nanoTime() - start) / 1e9, message);
        System.out.flush();
    }

    double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** One result line for BENCHMARKS.md: the suite form, the scenario, its outcome and figures. */
    void result(FaultSuite suite, long seed, String outcome) {
        String line = String.format("%s | %s | %s | seed %d | %.0f s | %s%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), suite.name(), scenario, seed, elapsedSeconds(), outcome);
        say("RESULT " + line.trim());
        try {
            Files.createDirectories(RESULTS.getParent());
            Files.writeString(RESULTS, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
