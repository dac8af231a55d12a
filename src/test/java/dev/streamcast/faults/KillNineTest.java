package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.config.ForecastSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of the Streamcast process at random moments while a producer writes; each time it is restarted on the
 * same state directory and catches up by itself. Under exactly-once, a read_committed consumer then sees every
 * valid reading accounted for exactly once.
 */
@Tag("faults")
class KillNineTest extends FaultScenario {

    private static final int PARTITIONS = 4;
    /** (64 KiB - 19 header bytes) / 48 bytes per sample: stream/SampleBatch.MAX_BYTES at window 3. */
    private static final int MAX_SAMPLES_PER_BATCH = (64 * 1024 - 19) / 48;

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void killMinusNineAtRandomMomentsLosesAndDuplicatesNothing() {
        begin("kill -9 x" + suite.kills());
        Random random = new Random(seed);

        startCluster("kill");
        ServiceInstance service = cluster.instance("streamcast", Map.of()).start(Duration.ofMinutes(2));
        TrafficPlan plan = TrafficPlan.build(suite.sensors(), suite.readingsPerSensor(), 0, 50, seed);
        LoadProducer producer = cluster.producer(plan);
        OutputTopics outputs = cluster.outputs();
        ProcessingPace pace = new ProcessingPace(service::httpPort);

        // Kill moments: distinct random points between 10% and 90% of the stream. Every second kill instead comes
        // 0-3 s after the previous restart said it runs: during the rebalance and the restore of the state, the
        // moment a crash loop hits.
        List<Integer> moments = new ArrayList<>();
        while (moments.size() < suite.kills()) {
            int at = (int) (plan.size() * (0.1 + 0.8 * random.nextDouble()));
            if (!moments.contains(at)) {
                moments.add(at);
            }
        }
        moments.sort(Integer::compare);
        log.say("sending " + plan.size() + " records (" + suite.sensors() + " sensors) at "
                + suite.readingsPerSecond() + "/s; kill -9 after records " + moments + ", every second one during "
                + "the start-up instead");
        producer.sendAsync(0, plan.size(), suite.readingsPerSecond());
        for (int k = 0; k < moments.size(); k++) {
            if (k % 2 == 1) {
                JvmProcess.sleep(random.nextInt(3000));
            } else {
                producer.awaitHandedOver(moments.get(k), Duration.ofMinutes(10));
            }
            service.assertAlive("before kill -9");
            long pid = service.pid();
            service.kill();
            log.say("kill -9 of pid " + pid + " after " + producer.handedOver() + " records sent"
                    + (k % 2 == 1 ? " (during its start-up)" : ""));
            long restart = System.nanoTime();
            service.start(Duration.ofMinutes(2));
            log.say("restarted as pid " + service.pid() + " in " + (System.nanoTime() - restart) / 1_000_000 + " ms");
        }
        producer.awaitAcked(plan.size(), Duration.ofMinutes(10));
        log.say("all " + plan.size() + " records acknowledged; waiting for the service to catch up");
        Duration catchUp = cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));
        log.say("caught up " + catchUp.toMillis() + " ms after the last record was acknowledged");

        ConservationVerifier.Report report = cluster.verify(producer, outputs, Duration.ofSeconds(60));
        log.say(report.summary());
        log.result(suite, seed, (report.ok() ? "PASS" : "FAIL") + ": " + suite.kills() + " kills, "
                + report.counts.get("valid readings sent") + " readings, " + report.counts.get("forecasts matched")
                + "/" + report.counts.get("forecasts expected") + " forecasts, caught up in " + catchUp.toSeconds()
                + " s after the producer finished; " + report.counts.get("samples lost") + " of "
                + report.counts.get("samples expected") + " training samples lost");
        pace.close();
        assertTrue(report.ok(), report.summary());
        // What the README promises: a crash loses at most the samples each task made in one commit interval and had
        // not sent yet, never more than a full batch per task. Summed over the tasks, a task's samples per second are
        // its share of the service's pace r (readings/s; a reading makes at most one sample), so
        //   lost <= kills * min(tasks * full batch, r * commit interval)
        // with r the fastest pace measured (the catch-up after a restart, not the producer's pace).
        double commitSeconds = ForecastSettings.EXACTLY_ONCE_COMMIT_MS / 1000.0;
        long perKill = Math.min((long) PARTITIONS * MAX_SAMPLES_PER_BATCH,
                (long) Math.ceil(pace.peakPerSecond() * commitSeconds));
        long bound = suite.kills() * perKill;
        log.say("training samples lost: " + report.counts.get("samples lost") + "; bound " + suite.kills()
                + " kills x min(" + PARTITIONS + " tasks x " + MAX_SAMPLES_PER_BATCH + ", " + Math.round(
                pace.peakPerSecond()) + " readings/s at the fastest x " + commitSeconds + " s) = " + bound);
        assertTrue(pace.peakPerSecond() >= suite.readingsPerSecond() / 2.0,
                "the pace was measured: " + pace.peakPerSecond() + " readings/s");
        assertTrue(report.counts.get("samples lost") <= bound, report.counts.get("samples lost")
                + " training samples lost in " + suite.kills() + " kills; at most " + bound + " may be");
        assertEquals(suite.kills() + 1, service.starts(), "one start plus one restart per kill");
        service.assertAlive("at the end");
    }
}
