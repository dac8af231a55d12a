package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka gone for minutes: every broker of the external Kafka ({@code streamcast broker} processes) is stopped in the
 * middle of the stream for {@link #downtime()} (2 minutes in the full form, 40 s in CI's reduced form), then started
 * again on its data directory. The service stays alive throughout, in the same process; {@code GET /ready} answers
 * 503 within {@link #NOT_READY_WITHIN} of the loss and 200 within {@link #READY_WITHIN} of the brokers' return; it
 * resumes on its own, and a read_committed verifier then finds every valid reading accounted for exactly once.
 *
 * <p>The single node runs in both forms; the three-node cluster (all three stopped at once) in the full form only
 * ({@code -Dstreamcast.faults=full}), where its three broker processes' start fits the budget.
 */
@Tag("faults")
class KafkaOutageTest extends FaultScenario {

    static final Duration NOT_READY_WITHIN = Duration.ofSeconds(30);
    static final Duration READY_WITHIN = Duration.ofSeconds(60);
    /** How long a broker may take to stop on SIGTERM before it is killed. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    static Duration downtime() {
        return FaultSuite.isFull() ? Duration.ofMinutes(2) : Duration.ofSeconds(40);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void theServiceRidesOutASingleNodeKafkaGoneForMinutes() {
        outage("Kafka gone (single node)", 1);
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void theServiceRidesOutAThreeNodeClusterGoneForMinutes() {
        Assumptions.assumeTrue(FaultSuite.isFull(), "the three-node outage runs in the full form only "
                + "(-D" + FaultSuite.PROPERTY + "=full)");
        outage("Kafka gone (three-node cluster)", 3);
    }

    private void outage(String scenario, int brokers) {
        begin(scenario);
        cluster = new FaultCluster(dir, brokers == 1 ? "outage" : "outage-cluster", brokers);
        cluster.startBroker();
        ServiceInstance service = cluster.instance("streamcast", Map.of()).start(Duration.ofMinutes(3));
        long pid = service.pid();
        SensorApi api = new SensorApi(service.httpPort());
        Readiness ready = new Readiness(api);
        ready.awaitStatus(200, System.nanoTime(), Duration.ofMinutes(2), "after the start");

        TrafficPlan plan = TrafficPlan.build(suite.sensors(), suite.readingsPerSensor(), 0, 20, seed);
        LoadProducer producer = cluster.producer(plan);
        OutputTopics outputs = cluster.outputs();
        int stopAt = plan.size() * 2 / 5;
        producer.sendAsync(0, plan.size(), suite.readingsPerSecond());
        producer.awaitHandedOver(stopAt, Duration.ofMinutes(10));

        long lost = System.nanoTime();
        List<String> killed = stopEveryBroker();
        double stopSeconds = seconds(System.nanoTime() - lost);
        if (!killed.isEmpty()) {
            log.say("killed (-9) after " + STOP_WAIT.toSeconds() + " s of SIGTERM, their quorum gone: " + killed);
        }
        log.say("every broker (" + brokers + ") stopped (SIGTERM) after " + producer.handedOver() + " of "
                + plan.size() + " records, in " + String.format("%.1f", stopSeconds) + " s; down for "
                + downtime().toSeconds() + " s");
        double notReady = ready.awaitStatus(503, lost, NOT_READY_WITHIN, "after Kafka was lost");
        log.say("/ready answered 503 " + String.format("%.1f", notReady) + " s after the brokers were told to stop: "
                + ready.last().body());
        List<Integer> during = new ArrayList<>();
        while (System.nanoTime() - lost < downtime().toNanos()) {
            service.assertAlive("while Kafka is gone");
            during.add(api.get("/ready").status());
            JvmProcess.sleep(1000);
        }
        long ok = during.stream().filter(s -> s == 200).count();
        log.say("while Kafka was gone: " + during.size() + " /ready answers, " + ok + " of them 200");

        long restart = System.nanoTime();
        cluster.startBroker();
        long back = System.nanoTime();
        log.say("every broker running again on its data directory, " + String.format("%.1f", seconds(back - restart))
                + " s after its start");
        double readyAgain = ready.awaitStatus(200, back, READY_WITHIN, "after Kafka returned");
        log.say("/ready answered 200 " + String.format("%.1f", readyAgain) + " s after the brokers ran again");

        producer.awaitAcked(plan.size(), Duration.ofMinutes(10));
        Duration catchUp = cluster.awaitCaughtUp(Duration.ofMinutes(10), List.of(service));
        ConservationVerifier.Report report = cluster.verify(producer, outputs, Duration.ofSeconds(60));
        log.say(report.summary());
        List<String> replaced = service.threadReplacements();
        log.say("stream threads replaced: " + replaced.size() + (replaced.isEmpty() ? "" : " " + replaced));
        log.result(suite, seed, (report.ok() && ok == 0 ? "PASS" : "FAIL") + ": " + brokers + " broker(s) down "
                + downtime().toSeconds() + " s mid-stream; /ready 503 after " + String.format("%.1f", notReady)
                + " s, 200 again " + String.format("%.1f", readyAgain) + " s after the return; "
                + report.counts.get("forecasts matched") + "/" + report.counts.get("forecasts expected")
                + " forecasts; caught up " + catchUp.toSeconds() + " s after the producer finished; "
                + replaced.size() + " stream threads replaced, same process throughout");

        assertTrue(report.ok(), report.summary());
        assertEquals(0, ok, "/ready answered 200 while Kafka was gone (after its first 503)");
        service.assertAlive("after the outage");
        assertEquals(pid, service.pid(), "the same process throughout");
        assertEquals(1, service.starts(), "never restarted");
    }

    /**
     * SIGTERM to every broker at once. The nodes of a cluster cannot all finish a controlled shutdown once their
     * quorum is gone (the last one waited on its controller for minutes): a node still running after
     * {@link #STOP_WAIT} is killed, as an operator would. Returns the killed nodes' names.
     */
    private List<String> stopEveryBroker() {
        List<String> killed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> stops = new ArrayList<>();
        for (BrokerNode node : cluster.brokerNodes()) {
            Thread stop = new Thread(() -> {
                try {
                    node.process().terminate(STOP_WAIT);
                } catch (AssertionError notStopped) {
                    killed.add(node.name());
                }
            }, "stop-" + node.name());
            stop.start();
            stops.add(stop);
        }
        for (Thread stop : stops) {
            try {
                stop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return killed;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Polls {@code GET /ready} until it answers a status, and says how long that took. */
    private static final class Readiness {

        private final SensorApi api;
        private SensorApi.Answer last;

        Readiness(SensorApi api) {
            this.api = api;
        }

        /** Seconds from {@code since} (System.nanoTime) until /ready answered {@code status}; fails past the limit. */
        double awaitStatus(int status, long since, Duration limit, String when) {
            while (true) {
                last = api.get("/ready");
                long now = System.nanoTime();
                if (last.status() == status) {
                    return seconds(now - since);
                }
                if (now - since > limit.toNanos()) {
                    throw new AssertionError("/ready did not answer " + status + " within " + limit.toSeconds()
                            + " s " + when + "; it answers " + last.status() + " " + last.body());
                }
                JvmProcess.sleep(250);
            }
        }

        SensorApi.Answer last() {
            return last;
        }
    }
}
