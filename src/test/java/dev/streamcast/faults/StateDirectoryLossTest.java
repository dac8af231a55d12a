package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The local state directory is deleted while the service is down (after a kill -9: the machine's disk is lost with
 * the process). On start, the service rebuilds its stores from the changelog topics: no window starts over (the
 * first reading of each sensor after the restart gets a forecast from a full window that reaches back before the
 * loss), and every valid reading is accounted for exactly once.
 */
@Tag("faults")
class StateDirectoryLossTest extends FaultScenario {

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void aDeletedStateDirectoryIsRebuiltFromTheChangelogsAndNothingIsLost() {
        open("state directory lost", "state-loss");
        ServiceInstance service = cluster.instance("streamcast", Map.of()).start(Duration.ofMinutes(2));
        TrafficPlan plan = TrafficPlan.build(suite.sensors(), suite.readingsPerSensor(), 0, 20, seed);
        LoadProducer producer = cluster.producer(plan);
        OutputTopics outputs = cluster.outputs();

        int half = plan.roundStart(plan.rounds() / 2);
        producer.sendAsync(0, half, suite.readingsPerSecond());
        producer.awaitAcked(half, Duration.ofMinutes(10));
        cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));
        log.say("first half (" + half + " records) processed; kill -9 and deleting " + service.stateDir());
        service.kill();
        long bytes = deleteRecursively(service.stateDir());
        assertFalse(Files.exists(service.stateDir()));
        log.say("deleted " + bytes + " bytes of local state");

        long restart = System.nanoTime();
        service.start(Duration.ofMinutes(2));
        producer.sendAsync(half, plan.size(), suite.readingsPerSecond());
        producer.awaitAcked(plan.size(), Duration.ofMinutes(10));
        Duration catchUp = cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));
        log.say("second half processed; " + (System.nanoTime() - restart) / 1_000_000 + " ms from the restart");
        assertTrue(Files.isDirectory(service.stateDir()), "the state directory was rebuilt");

        ConservationVerifier.Report report = cluster.verify(producer, outputs, Duration.ofSeconds(60));
        log.say(report.summary());
        log.result(suite, seed, (report.ok() ? "PASS" : "FAIL") + ": state directory deleted after "
                + half + " records, " + report.counts.get("forecasts matched") + "/"
                + report.counts.get("forecasts expected") + " forecasts, "
                + report.problemCount("forecast with the wrong window (a window started over or mixed)")
                + " windows started over, caught up " + catchUp.toSeconds() + " s after the producer finished");
        assertTrue(report.ok(), report.summary());
        service.assertAlive("at the end");
    }

    private static long deleteRecursively(Path root) {
        long[] bytes = {0};
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isRegularFile(p)) {
                    bytes[0] += Files.size(p);
                }
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes[0];
    }
}
