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

    private static final boolean IN_CI = "true".equalsIgnoreCase(System.getenv("CI"));

    /** The runnable jar; in CI it must be there, elsewhere the test skips without it. */
    private static void requireJar() {
        if (!Files.isRegularFile(JAR)) {
            if (IN_CI) {
                throw new AssertionError(JAR + " is missing: .ci/run packages it before the tests");
            }
            Assumptions.abort(JAR + " is missing: build it first (mvn -B -DskipTests package)");
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aFreshServiceDrainsATinyBacklogAndEveryFigureIsMeasured() throws Exception {
        requireJar();
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

    /**
     * The Python peer (confluent-kafka + Keras 3 on JAX) drains the same tiny backlog first and its rate is set beside
     * the service's; the service takes the caller's settings after the benchmark's own (here its forecasts go to a
     * topic of another name, which the bytes then show). .ci/run makes $KERAS_PYTHON an interpreter that can run the
     * peer, so in CI a missing module fails the test; without $KERAS_PYTHON, or elsewhere, it skips.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void thePythonPeerDrainsTheSameReadingsFirstAndTheServiceTakesTheGivenSettings() throws Exception {
        requireJar();
        String python = System.getenv("KERAS_PYTHON");
        // .ci/run sets it where the machine has Keras's wheels, as for the other Keras tests.
        Assumptions.assumeTrue(python != null && !python.isBlank(), "KERAS_PYTHON is not set: no Keras here");
        BacklogPeer peer = BacklogPeer.python(Path.of("src", "test", "python", "peer").toAbsolutePath(), python);
        String problem = peer.problem();
        if (problem != null) {
            if (IN_CI) {
                throw new AssertionError("the Python peer cannot run in CI: " + problem);
            }
            Assumptions.abort("the Python peer cannot run here: " + problem);
        }
        BacklogResult r = BacklogBenchmark.run(new BacklogSettings(20_000, 50, true, JAR.toAbsolutePath(), peer,
                new BacklogService(List.of(), List.of("topics.forecasts=backlog-forecasts"), null, 0, null)));

        // 50 sensors' windows fill at their 3rd reading: 19,900 forecasts
        assertEquals(19_900, r.peer().forecasts());
        assertTrue(r.peer().rps() > 0 && r.peer().seconds() > 0, "" + r.peer());
        assertEquals(r.readingsPerSecond() / r.peer().rps(), r.ratioToPeer(), 1e-9);
        assertTrue(r.diskBytes().containsKey("backlog-forecasts") && !r.diskBytes().containsKey("sensor-forecasts"),
                r.diskBytes().toString());
        assertTrue(BacklogReport.formatTable(r).contains("peer: python (confluent-kafka + Keras 3 on JAX)"),
                BacklogReport.formatTable(r));
    }
}
