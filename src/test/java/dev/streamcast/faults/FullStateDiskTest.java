package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The disk of the state directory fills up in the middle of the stream (the state directory is on a small tmpfs of
 * its own, filled by a file the test writes until the disk refuses more). The service stops by itself with one
 * clear line, last on its stderr, and exit code 2, not a loop of replaced stream threads; after the file is removed
 * it starts again on the same state directory, and a read_committed verifier finds every valid reading accounted
 * for exactly once: no state was corrupted (no window started over or mixed), nothing lost or doubled.
 *
 * <p>Needs root, to mount the tmpfs ({@code mount -t tmpfs}): elsewhere it is skipped, saying so; in CI
 * ({@code CI=true}, root on a fresh Debian machine) a mount that fails fails the test.
 */
@Tag("faults")
class FullStateDiskTest extends FaultScenario {

    /** The state disk: room for the stores of the reduced suite's 200 sensors, and little more. */
    static final String DISK_SIZE = "64m";
    /** Streamcast's INFO line for a stream client's state change (StreamcastService's state listener). */
    static final Pattern STATE_CHANGE_LINE =
            Pattern.compile(" INFO .* - Kafka Streams \\([a-z]+\\): [A-Z_]+ -> [A-Z_]+$");
    static final Pattern DISK_FULL_LINE = Pattern.compile(
            "^(streamcast )?run: the stream stopped: the disk of the state directory .* is full "
                    + "\\(No space left on device\\)");

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void aFullStateDiskStopsTheServiceWithOneLineAndItResumesOnceSpaceIsFreed() throws Exception {
        begin("full state disk");
        Path disk = dir.resolve("state-disk");
        Files.createDirectories(disk);
        String problem = run("mount", "-t", "tmpfs", "-o", "size=" + DISK_SIZE, "tmpfs", disk.toString());
        if (problem != null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI runs this as root, but a tmpfs cannot be mounted: " + problem);
        }
        Assumptions.assumeTrue(problem == null, "a full disk needs a small filesystem of its own: run as root "
                + "(mount -t tmpfs) to test it; here " + problem);
        try {
            scenario(disk);
        } finally {
            // Every process off the disk before it is unmounted.
            if (cluster != null) {
                cluster.close();
                cluster = null;
            }
            String unmounted = run("umount", disk.toString());
            if (unmounted != null) {
                log.say("could not unmount " + disk + ": " + unmounted);
            }
        }
    }

    private void scenario(Path disk) {
        startCluster("full-disk");
        Path stateDir = disk.resolve("state");
        ServiceInstance service = cluster.instance("streamcast", Map.of("kafka.state.dir", stateDir.toString()))
                .start(Duration.ofMinutes(2));
        TrafficPlan plan = TrafficPlan.build(suite.sensors(), suite.readingsPerSensor(), 0, 20, seed);
        LoadProducer producer = cluster.producer(plan);
        OutputTopics outputs = cluster.outputs();

        int first = plan.roundStart(plan.rounds() / 3);
        producer.sendAndWait(0, first, suite.readingsPerSecond(), Duration.ofMinutes(10));
        cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));
        Path filler = disk.resolve("filler");
        long filled = fill(filler);
        log.say(first + " records processed; the state disk (" + DISK_SIZE + ") filled with " + filled / 1024
                + " KiB more");

        // The rest of the plan. The service meets the full disk when its stores next write to it: RocksDB flushes a
        // memtable when it fills, Kafka Streams when it writes a checkpoint (under exactly-once, every 10,000
        // changelog records of a task), so it may process all of it first. Then a crash and a restart (kill -9, as
        // a supervisor or the machine would) meets it for sure: the stores are opened and restored on the disk.
        producer.sendAsync(first, plan.size(), suite.readingsPerSecond());
        producer.awaitAcked(plan.size(), Duration.ofMinutes(10));
        String when = "while running";
        if (!awaitEnd(service, Duration.ofSeconds(60))) {
            when = "at a restart after kill -9 (it had not written to the disk since it filled)";
            service.kill();
            service.launch();
        }
        int exit = service.awaitExit(Duration.ofMinutes(3));
        // The line comes last but for the INFO lines of a client's close thread, which may log its last state change
        // a moment after the client reports it closed (Kafka Streams calls its state listener after the change).
        List<String> tail = service.log().lines().filter(l -> !STATE_CHANGE_LINE.matcher(l).find()).toList();
        String last = tail.isEmpty() ? "" : tail.get(tail.size() - 1);
        long lines = service.log().lines().filter(l -> DISK_FULL_LINE.matcher(l).find()).count();
        log.say("the service stopped " + when + " with exit code " + exit + "; its last line: " + last);
        assertEquals(2, exit, "exit code; the log ends with:\n" + service.logTail(40));
        assertTrue(DISK_FULL_LINE.matcher(last).find(), "the last line says the state disk is full: " + last);
        assertEquals(1, lines, "the line is said once");
        assertTrue(service.threadReplacements().isEmpty(), "no stream thread replaced: "
                + service.threadReplacements());

        try {
            Files.delete(filler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long restart = System.nanoTime();
        service.start(Duration.ofMinutes(2));
        Duration catchUp = cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));
        log.say("space freed and the service started again on " + stateDir + "; everything processed "
                + (System.nanoTime() - restart) / 1_000_000 + " ms after the restart");

        ConservationVerifier.Report report = cluster.verify(producer, outputs, Duration.ofSeconds(60));
        log.say(report.summary());
        log.result(suite, seed, (report.ok() ? "PASS" : "FAIL") + ": state disk full after " + first
                + " records, stopped " + when + ", exit " + exit + " with one line; after space was freed "
                + report.counts.get("forecasts matched") + "/" + report.counts.get("forecasts expected")
                + " forecasts, "
                + report.problemCount("forecast with the wrong window (a window started over or mixed)")
                + " windows started over, caught up " + catchUp.toSeconds() + " s after the producer finished");
        assertTrue(report.ok(), report.summary());
        service.assertAlive("at the end");
    }

    /** Whether the service's process ends by itself within {@code timeout}. */
    private static boolean awaitEnd(ServiceInstance service, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (service.isAlive() && System.nanoTime() < deadline) {
            JvmProcess.sleep(500);
        }
        return !service.isAlive();
    }

    /** Writes {@code file} until the disk refuses more; returns the bytes written. */
    private static long fill(Path file) {
        long written = 0;
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int size = chunk.length; size >= 512; size /= 2) {
                try {
                    while (true) {
                        out.write(chunk, 0, size);
                        out.flush();
                        written += size;
                    }
                } catch (IOException full) {
                    // No room for this size: try a smaller one, to the last block.
                }
            }
        } catch (IOException e) {
            // Closing a file the disk had no room for: what was written stays.
        }
        return written;
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            return p.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + p.exitValue() + " " + output;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
