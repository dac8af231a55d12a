package dev.streamcast.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@code bench backlog} tiny, from the runnable jar as users run it (a broker process, a service process),
 * so its whole path stays tested: every figure is there and sane. No figure is held to a target. The jar must be
 * built first ({@code mvn -B -DskipTests package}; .ci/run does); outside CI the test skips without it.
 */
@Tag("broker")
class BacklogBenchmarkTest {

    private static final Path JAR = Path.of("target", "streamcast.jar");

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aFreshServiceDrainsATinyBacklogAndEveryFigureIsMeasured() throws Exception {
        if (!Files.isRegularFile(JAR)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(JAR + " is missing: .ci/run packages it before the tests");
            }
            Assumptions.abort(JAR + " is missing: build it first (mvn -B -DskipTests package)");
        }
        BacklogResult r = BacklogBenchmark.run(new BacklogSettings(20_000, 50, true, JAR.toAbsolutePath(), null));

        assertTrue(r.readingsPerSecond() > 0 && Double.isFinite(r.readingsPerSecond()), "rate " + r);
        assertTrue(r.drainedReadings() > 0 && r.drainedReadings() <= 20_000, "drained " + r.drainedReadings());
        assertTrue(r.seconds() > 0 && r.startupSeconds() > 0, "seconds " + r);
        assertTrue(r.serviceCpuUsPerReading() > 0, "service CPU " + r.serviceCpuUsPerReading());
        assertTrue(r.brokerCpuUsPerReading() > 0, "broker CPU " + r.brokerCpuUsPerReading());
        assertTrue(Double.isNaN(r.otherCpuShare()) || r.otherCpuShare() >= 0 && r.otherCpuShare() <= 1,
                "other processes' share " + r.otherCpuShare());
        // What the service writes for every reading, changelogs included; not the inputs, not Kafka's own.
        for (String topic : List.of("sensor-forecasts", "streamcast-accuracy", "streamcast-training-samples",
                "streamcast-sensor-state-changelog")) {
            assertTrue(r.bytesPerReading(topic) > 0, topic + ": " + r.diskBytes());
            assertTrue(r.logBytesPerReading(topic) > 0, topic + ": " + r.logBytes());
        }
        assertEquals(r.logBytes().keySet(), r.diskBytes().keySet());
        assertTrue(r.diskBytes().keySet().stream().noneMatch(t -> t.startsWith("__")
                || t.equals(BacklogBenchmark.READINGS_TOPIC)), r.diskBytes().toString());
        // du counts whole blocks of every file: at least the records
        assertTrue(r.bytesPerReading() >= r.logBytesPerReading(), r.diskBytes() + " " + r.logBytes());
        assertTrue(r.bytesPerReading() > 10 && r.bytesPerReading() < 100_000, "bytes " + r.bytesPerReading());
        assertNull(r.peer());
        assertTrue(Double.isNaN(r.ratioToPeer()));
        assertEquals(20_000, r.settings().readings());
        // The start: a drain this short is split in halves; the rates come from the committed offsets over time.
        BacklogStart start = r.start();
        assertTrue(start.windowSeconds() > 0 && start.windowSeconds() <= r.seconds() / 2 + 1e-9, "" + start);
        assertTrue(start.startRps() > 0 && start.steadyRps() > 0, "" + start);
        // readings within the window + after it = every reading drained
        assertEquals(r.drainedReadings(), start.startRps() * start.windowSeconds()
                + start.steadyRps() * (r.seconds() - start.windowSeconds()), 1.0);
        assertTrue(start.stepRps().length >= 1, "" + start);
        if (Files.isDirectory(Path.of("/proc/self/task"))) {
            assertTrue(start.start().otherUs() > 0 && start.start().jitUs() >= 0 && start.start().gcUs() >= 0,
                    "" + start);
        }
    }
}
