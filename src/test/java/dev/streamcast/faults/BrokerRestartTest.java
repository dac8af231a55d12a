package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker (a separate {@code streamcast broker} process) is stopped with SIGTERM in the middle of the stream and
 * restarted on its data directory and port. The service rides it out without a restart of its own (it may log
 * warnings meanwhile), and a read_committed consumer then sees every valid reading accounted for exactly once.
 */
@Tag("faults")
class BrokerRestartTest extends FaultScenario {

    /** How long the broker stays down: longer than the clients' request timeouts' first retries. */
    private static final Duration DOWNTIME = Duration.ofSeconds(15);

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void theServiceRidesOutABrokerRestartWithoutRestartingItself() {
        open("broker restart", "broker-restart");
        ServiceInstance service = cluster.instance("streamcast", Map.of()).start(Duration.ofMinutes(2));
        long pid = service.pid();
        TrafficPlan plan = TrafficPlan.build(suite.sensors(), suite.readingsPerSensor(), 0, 20, seed);
        LoadProducer producer = cluster.producer(plan);
        OutputTopics outputs = cluster.outputs();

        int stopAt = plan.size() * 2 / 5;
        log.say("sending " + plan.size() + " records at " + suite.readingsPerSecond() + "/s; the broker stops after "
                + stopAt);
        producer.sendAsync(0, plan.size(), suite.readingsPerSecond());
        producer.awaitHandedOver(stopAt, Duration.ofMinutes(10));
        cluster.stopBroker();
        log.say("broker stopped (SIGTERM) after " + producer.handedOver() + " records; down for " + DOWNTIME.toSeconds()
                + " s");
        JvmProcess.sleep(DOWNTIME.toMillis());
        service.assertAlive("while the broker is down");
        cluster.startBroker();
        log.say("broker restarted on its data directory");

        producer.awaitAcked(plan.size(), Duration.ofMinutes(10));
        Duration catchUp = cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));
        log.say("all acknowledged; caught up " + catchUp.toMillis() + " ms later");
        ConservationVerifier.Report report = cluster.verify(producer, outputs, Duration.ofSeconds(60));
        log.say(report.summary());
        List<String> replaced = service.threadReplacements();
        log.say("stream threads replaced: " + replaced.size() + (replaced.isEmpty() ? "" : " " + replaced));
        log.result(suite, seed, (report.ok() && replaced.isEmpty() ? "PASS" : "FAIL") + ": broker down "
                + DOWNTIME.toSeconds() + " s mid-stream, " + report.counts.get("forecasts matched") + "/"
                + report.counts.get("forecasts expected") + " forecasts, " + replaced.size()
                + " stream threads replaced, same process throughout");

        assertTrue(report.ok(), report.summary());
        service.assertAlive("after the broker restart");
        assertEquals(pid, service.pid(), "the same process throughout");
        assertEquals(1, service.starts(), "never restarted");
        assertTrue(replaced.isEmpty(), "no stream thread died and was replaced: " + replaced);
    }
}
