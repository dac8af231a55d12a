package dev.streamcast.faults;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on a real three-node KRaft cluster (three {@code streamcast broker} processes, each broker and controller;
 * every topic with 3 replicas and min.insync.replicas 2) under two Streamcast instances, while a producer writes at
 * a steady rate. One cluster serves every scenario, in order; each scenario sends its own stretch of the traffic,
 * puts its fault in the middle of it, waits for the service to catch up and checks conservation over everything
 * sent so far (read_committed: one forecast per eligible reading, none twice, model versions rising):
 * <ol>
 *   <li>the cluster replicates Kafka's internal topics, Streamcast's and Kafka Streams' three times, two in sync;</li>
 *   <li>kill -9 of the broker leading the most partitions, restarted a few seconds later;</li>
 *   <li>kill -9 of the active controller, restarted a few seconds later;</li>
 *   <li>a rolling restart of the three brokers, one at a time, each back in sync before the next;</li>
 *   <li>a rolling restart of both Streamcast instances, one at a time, as an upgrade would do it.</li>
 * </ol>
 * The scenarios depend on each other's cluster: run the class, not one method. Each prints a RESULT line (readings,
 * time to recover, lag peak) to target/fault-suite/results.txt; the full form is
 * {@code mvn -B verify -Dstreamcast.faults=full -Dtest=ClusterFaultsTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class ClusterFaultsTest {

    /** How many times longer each stretch of traffic is in the full form. */
    private static final int STRETCH_FACTOR = FaultSuite.isFull() ? 2 : 1;
    /** How long a broker stays down after its kill -9. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    private FaultSuite suite;
    private long seed;
    private ScenarioLog log;
    private FaultCluster cluster;
    private ServiceInstance first;
    private ServiceInstance second;
    private TrafficPlan plan;
    private LoadProducer producer;
    private OutputTopics outputs;
    private int readingsPerSecond;
    private int sent;
    /** Stream threads the last scenario saw die and replaced (Kafka Streams' own recovery, e.g. from a commit
     * refused while a transaction coordinator moved). */
    private int lastReplacements;

    @BeforeAll
    // The class-level @Timeout does not cover this method, where the whole scenario runs; on a thread of its own so
    // that a hang which ignores interrupts ends too (src/test/resources/junit-platform.properties).
    @Timeout(value = 40, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void startTheClusterAndTheService() {
        suite = FaultSuite.current();
        seed = FaultSuite.seed();
        log = new ScenarioLog("3-node cluster");
        log.say(suite + ", seed " + seed);
        // The reduced form fits the CI budget (6 minutes for the class); the full form has five times the sensors,
        // two and a half times the rate and twice as long stretches (200,000 readings: the verifier holds every
        // output in the test JVM's heap, and a million readings do not fit in its 1 GB).
        boolean full = FaultSuite.isFull();
        readingsPerSecond = full ? 500 : 200;
        int sensors = full ? 1_000 : 200;
        int seconds = STRETCH_FACTOR * (5 + 30 + 30 + 75 + 60);
        plan = TrafficPlan.build(sensors, readingsPerSecond * seconds / sensors, 0, 0, seed);
        cluster = new FaultCluster(dir, "cluster", 3);
        long start = System.nanoTime();
        cluster.startBroker();
        log.say("3 brokers running in " + millisSince(start) + " ms: " + cluster.bootstrap());
        first = cluster.instance("first", Map.of()).start(Duration.ofMinutes(3));
        second = cluster.instance("second", Map.of()).start(Duration.ofMinutes(3));
        producer = cluster.producer(plan);
        outputs = cluster.outputs();
    }

    @AfterAll
    void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void replicatesEveryTopicThreeTimesWithTwoInSync() throws Exception {
        Admin admin = cluster.admin();
        assertEquals(Set.of(1, 2, 3), admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).stream()
                .map(Node::id).collect(Collectors.toSet()));
        assertEquals(Set.of(1, 2, 3), admin.describeMetadataQuorum().quorumInfo().get(60, TimeUnit.SECONDS).voters()
                .stream().map(QuorumInfo.ReplicaState::replicaId).collect(Collectors.toSet()));
        // A first stretch of traffic: the consumer group, transactions and changelogs come into being.
        sendUpTo(plan.roundStart(plan.rounds() * 5 / 200), Duration.ofMinutes(2));
        cluster.awaitCaughtUp(Duration.ofMinutes(3), List.of(first, second));
        List<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                .get(60, TimeUnit.SECONDS).stream().sorted().toList();
        List<String> changelogs = topics.stream().filter(t -> t.endsWith("-changelog")).toList();
        assertTrue(!changelogs.isEmpty(), "Kafka Streams' changelogs exist: " + topics);
        for (String topic : concat(List.of("sensor-readings", "sensor-forecasts", "streamcast-accuracy",
                "streamcast-models", "streamcast-training-samples", "streamcast-dlq", "__consumer_offsets",
                "__transaction_state"), changelogs)) {
            assertReplicated(admin, topic);
        }
        ConservationVerifier.Report report = cluster.verify(producer, outputs, Duration.ofSeconds(60));
        assertTrue(report.ok(), report.summary());
    }

    @Test
    @Order(2)
    void killMinusNineOfTheBrokerLeadingTheMostPartitionsLosesAndDuplicatesNothing() {
        scenario("kill -9 of the partition leader", 30, () -> {
            BrokerNode leader = cluster.brokerNode(mostLeaderships());
            leader.kill();
            log.say("kill -9 of " + leader.name() + " (leads the most partitions)");
            JvmProcess.sleep(DOWN_FOR.toMillis());
            restart(leader);
        });
    }

    @Test
    @Order(3)
    void killMinusNineOfTheActiveControllerLosesAndDuplicatesNothing() {
        scenario("kill -9 of the active controller", 30, () -> {
            BrokerNode controller = cluster.brokerNode(activeController());
            controller.kill();
            log.say("kill -9 of " + controller.name() + " (the active controller)");
            JvmProcess.sleep(DOWN_FOR.toMillis());
            restart(controller);
            log.say("active controller now node " + activeController());
        });
    }

    @Test
    @Order(4)
    void aRollingRestartOfTheThreeBrokersLosesAndDuplicatesNothing() {
        scenario("rolling restart of the brokers", 75, () -> {
            for (BrokerNode node : cluster.brokerNodes()) {
                long stop = System.nanoTime();
                node.stop();
                restart(node);
                awaitFullyReplicated(Duration.ofMinutes(3));
                log.say(node.name() + " restarted and every partition in sync again after " + millisSince(stop)
                        + " ms");
            }
        });
    }

    @Test
    @Order(5)
    void aRollingRestartOfBothInstancesLosesAndDuplicatesNothing() {
        scenario("rolling restart of the instances", 60, () -> {
            for (ServiceInstance instance : List.of(first, second)) {
                long stop = System.nanoTime();
                instance.stop();
                instance.start(Duration.ofMinutes(3));
                log.say(instance.name() + " restarted in " + millisSince(stop) + " ms");
            }
        });
        assertEquals(2, first.starts());
        assertEquals(2, second.starts());
        assertEquals(0, lastReplacements, "a clean restart of an instance kills no stream thread of the other");
    }

    /**
     * Sends the next {@code seconds} of traffic at the steady rate, runs {@code fault} once a third of it is out,
     * then waits for the catch-up and checks conservation over everything sent so far.
     */
    private void scenario(String name, int seconds, Runnable fault) {
        int from = sent;
        int to = Math.min(plan.size(), from + readingsPerSecond * seconds * STRETCH_FACTOR);
        int replacedBefore = first.threadReplacements().size() + second.threadReplacements().size();
        producer.sendAsync(from, to, readingsPerSecond);
        producer.awaitHandedOver((to - from) / 3, Duration.ofMinutes(5));
        // Everything written before the fault: how long until the service has processed and committed it.
        LagSampler lag = new LagSampler(endOffsets());
        lag.start();
        fault.run();
        long faultOver = lag.millisSinceFault();
        long recovered = lag.awaitRecovered(Duration.ofMinutes(5));
        producer.awaitAcked(to, Duration.ofMinutes(10));
        sent = to;
        Duration caughtUp = cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(first, second));
        lag.stop();
        int replaced = first.threadReplacements().size() + second.threadReplacements().size() - replacedBefore;
        ConservationVerifier.Report report = cluster.verify(producer, outputs, Duration.ofSeconds(90));
        log.say(report.summary());
        log.result(suite, seed, (report.ok() ? "PASS" : "FAIL") + ": " + name + ", " + (to - from) + " readings at "
                + readingsPerSecond + "/s (" + report.counts.get("valid readings sent") + " so far), fault over in "
                + faultOver + " ms, the readings written before the fault processed " + recovered
                + " ms after it, lag peak " + lag.peak() + " readings, caught up " + caughtUp.toMillis()
                + " ms after the last was acknowledged, stream threads replaced: " + replaced);
        assertTrue(report.ok(), report.summary());
        first.assertAlive("at the end of " + name);
        second.assertAlive("at the end of " + name);
        lastReplacements = replaced;
    }

    private void sendUpTo(int to, Duration timeout) {
        producer.sendAndWait(sent, to, 0, timeout);
        sent = to;
    }

    private void restart(BrokerNode node) {
        long start = System.nanoTime();
        node.launch().awaitRunning(Duration.ofMinutes(3));
        log.say(node.name() + " running again in " + millisSince(start) + " ms");
    }

    /** The id of the broker leading the most partitions, Kafka's internal topics included. */
    private int mostLeaderships() {
        Map<Integer, Integer> leaderships = new HashMap<>();
        for (TopicDescription topic : describeAll().values()) {
            for (TopicPartitionInfo p : topic.partitions()) {
                if (p.leader() != null) {
                    leaderships.merge(p.leader().id(), 1, Integer::sum);
                }
            }
        }
        log.say("partitions led by broker: " + leaderships);
        return leaderships.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private int activeController() {
        return get(cluster.admin().describeMetadataQuorum().quorumInfo()).leaderId();
    }

    /** Waits until every partition of every topic has all its replicas in sync. */
    private void awaitFullyReplicated(Duration timeout) {
        AtomicLong behind = new AtomicLong();
        try {
            await("every partition in sync", timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
                behind.set(describeAll().values().stream().flatMap(t -> t.partitions().stream())
                        .filter(p -> p.isr().size() < p.replicas().size()).count());
                return behind.get() == 0;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(behind.get() + " partitions still under-replicated after " + timeout.toSeconds()
                    + " s", e);
        }
    }

    private Map<String, TopicDescription> describeAll() {
        Admin admin = cluster.admin();
        Set<String> names = get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names());
        return get(admin.describeTopics(names).allTopicNames());
    }

    private Map<TopicPartition, Long> endOffsets() {
        try {
            return cluster.endOffsets("sensor-readings");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot read the readings topic's end offsets: " + e, e);
        }
    }

    private Map<TopicPartition, Long> endOffsetsOrEmpty() {
        try {
            return cluster.endOffsets("sensor-readings");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            return Map.of();
        }
    }

    private static void assertReplicated(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS)
                .get(topic);
        for (TopicPartitionInfo p : description.partitions()) {
            assertEquals(3, p.replicas().size(), topic + " partition " + p.partition() + " replicas " + p.replicas());
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS).get(resource);
        assertEquals("2", config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value(), topic + " min.insync.replicas");
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the cluster did not answer: " + e, e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /**
     * Samples, from the moment of the fault, the application's total lag on the readings topic twice a second
     * (keeping the peak) and when it has committed every reading written before the fault.
     */
    private final class LagSampler {
        private final Map<TopicPartition, Long> beforeFault;
        private final long faultAt = System.nanoTime();
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong recoveredAfter = new AtomicLong(-1);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        LagSampler(Map<TopicPartition, Long> beforeFault) {
            this.beforeFault = beforeFault;
        }

        void start() {
            thread = new Thread(() -> {
                while (running.get()) {
                    sample();
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "cluster-faults-lag-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            Map<TopicPartition, Long> lag = cluster.lag();
            Map<TopicPartition, Long> end = endOffsetsOrEmpty();
            long total = lag.values().stream().mapToLong(Long::longValue).sum();
            if (end.isEmpty() || total >= Long.MAX_VALUE / 8) {
                return; // the cluster did not answer this time
            }
            peak.accumulateAndGet(total, Math::max);
            boolean processed = beforeFault.entrySet().stream().allMatch(e -> {
                Long behind = lag.get(e.getKey());
                Long now = end.get(e.getKey());
                return behind != null && now != null && now - behind >= e.getValue();
            });
            if (processed && recoveredAfter.get() < 0) {
                recoveredAfter.set(millisSinceFault());
            }
        }

        long millisSinceFault() {
            return millisSince(faultAt);
        }

        /** Milliseconds from the fault until every reading written before it was committed. */
        long awaitRecovered(Duration timeout) {
            try {
                await("the readings written before the fault processed", timeout)
                        .until(() -> recoveredAfter.get() >= 0);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the readings written before the fault were not processed within "
                        + timeout.toSeconds() + " s of it; lag " + cluster.lag(), e);
            }
            return recoveredAfter.get();
        }

        void stop() {
            running.set(false);
            thread.interrupt();
        }

        long peak() {
            return peak.get();
        }
    }
}
