package dev.streamcast.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One scenario's world: a {@code streamcast broker} process on a fixed port with its own data directory (so a
 * restart keeps its address and its data), or three of them forming a KRaft cluster (each combined broker and
 * controller; the topics then get 3 replicas and min.insync.replicas 2), the Streamcast instances (processes) of
 * one application id, the load producer and the verifier's reader. {@link #close()} ends every process it
 * started, whatever happened.
 */
final class FaultCluster implements AutoCloseable {

    static final Pattern BROKER_RUNNING = Pattern.compile("^Kafka broker running at (\\S+)");
    static final String ADMIN_TOKEN = "fault-suite-token";
    static final int WINDOW_LENGTH = 3;

    private final Path dir;
    private final String applicationId;
    private final List<BrokerNode> brokers = new ArrayList<>();
    private final List<ServiceInstance> instances = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Thread cleanupOnExit;
    private Admin admin;

    FaultCluster(Path dir, String scenario) {
        this(dir, scenario, 1);
    }

    /** @param brokerCount 1 (a single node) or 3 (a KRaft cluster of combined nodes, ids 1-3) */
    FaultCluster(Path dir, String scenario, int brokerCount) {
        this.dir = dir;
        this.applicationId = "faults-" + scenario;
        if (brokerCount == 1) {
            int port = freePort();
            brokers.add(new BrokerNode("broker", dir, port, dir.resolve("kafka"), Map.of()));
        } else {
            List<Integer> controllerPorts = new ArrayList<>();
            for (int id = 1; id <= brokerCount; id++) {
                controllerPorts.add(freePort());
            }
            StringBuilder voters = new StringBuilder();
            for (int id = 1; id <= brokerCount; id++) {
                voters.append(id == 1 ? "" : ",").append(id).append("@127.0.0.1:").append(controllerPorts.get(id - 1));
            }
            String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
            for (int id = 1; id <= brokerCount; id++) {
                brokers.add(new BrokerNode("broker-" + id, dir, freePort(), dir.resolve("kafka-" + id), Map.of(
                        "embedded.kafka.node-id", Integer.toString(id),
                        "embedded.kafka.voters", voters.toString(),
                        "embedded.kafka.cluster-id", clusterId)));
            }
        }
        // If the test JVM itself is stopped (Ctrl-C, surefire's timeout), the processes must not outlive it.
        this.cleanupOnExit = new Thread(this::destroyAll, "fault-suite-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir() {
        return dir;
    }

    String applicationId() {
        return applicationId;
    }

    String bootstrap() {
        return brokers.stream().map(BrokerNode::address).collect(Collectors.joining(","));
    }

    /**
     * Starts (or restarts) every broker process on its fixed ports and data directory, at once (the nodes of a
     * cluster wait for each other's quorum), and waits until each serves.
     */
    void startBroker() {
        for (BrokerNode node : brokers) {
            node.launch();
        }
        for (BrokerNode node : brokers) {
            node.awaitRunning(Duration.ofSeconds(120));
        }
    }

    /** SIGTERM to every broker and a wait for their clean stop. */
    void stopBroker() {
        for (BrokerNode node : brokers) {
            node.stop();
        }
    }

    /** The single node's process (or node 1's of a cluster). */
    JvmProcess broker() {
        return brokers.get(0).process();
    }

    /** The broker node with id {@code id} (1-based). */
    BrokerNode brokerNode(int id) {
        return brokers.get(id - 1);
    }

    List<BrokerNode> brokerNodes() {
        return List.copyOf(brokers);
    }

    /**
     * The settings every instance of a scenario gets; {@code extra} overrides them. The session timeout is 10 s
     * (Kafka's default is 45 s) so the group notices a killed instance quickly enough for CI; nothing else in
     * Streamcast's configuration is changed except how often it retrains.
     */
    ServiceInstance instance(String name, Map<String, String> extra) {
        return instance(name, extra, "512m", List.of());
    }

    ServiceInstance instance(String name, Map<String, String> extra, String heap, List<String> jvmOptions) {
        int httpPort = freePort();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kafka.bootstrap.servers", bootstrap());
        settings.put("kafka.application.id", applicationId);
        settings.put("kafka.state.dir", dir.resolve(name + "-state").toString());
        settings.put("kafka.session.timeout.ms", "10000");
        settings.put("kafka.heartbeat.interval.ms", "2000");
        settings.put("http.port", Integer.toString(httpPort));
        settings.put("kafka.application.server", "127.0.0.1:" + httpPort);
        settings.put("http.admin.token", ADMIN_TOKEN);
        settings.put("topics.partitions", "4");
        settings.put("retrain.every.samples", "3000");
        settings.put("retrain.min.samples", "500");
        settings.put("retrain.buffer.size", "2000");
        settings.put("retrain.epochs", "5");
        if (brokers.size() >= 3) {
            settings.put("topics.replication-factor", "3");
            settings.put("topics.min-insync-replicas", "2");
        }
        settings.putAll(extra);
        ServiceInstance instance = new ServiceInstance(name, dir, settings, heap, jvmOptions);
        instances.add(instance);
        return instance;
    }

    LoadProducer producer(TrafficPlan plan) {
        LoadProducer producer = new LoadProducer(bootstrap(), "sensor-readings", plan);
        closeables.add(producer);
        return producer;
    }

    OutputTopics outputs() {
        OutputTopics outputs = new OutputTopics(bootstrap(), OutputTopics.Names.defaults());
        closeables.add(outputs);
        return outputs;
    }

    synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
            admin = Admin.create(props);
        }
        return admin;
    }

    /**
     * Waits until the application has committed every record of the readings topic: the service has caught up
     * by itself. Fails early, with the log, if an instance that should run has died.
     *
     * @param running the instances that must stay alive meanwhile
     * @return how long it took
     */
    Duration awaitCaughtUp(Duration timeout, List<ServiceInstance> running) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String lag = "";
        while (true) {
            for (ServiceInstance instance : running) {
                instance.assertAlive("while catching up");
            }
            Map<TopicPartition, Long> lagByPartition = lag();
            long total = lagByPartition.values().stream().mapToLong(Long::longValue).sum();
            if (total == 0) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            lag = lagByPartition.toString();
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (ServiceInstance instance : running) {
                    logs.append("\n--- ").append(instance.name()).append(" (full log in target/fault-suite/logs/")
                            .append(applicationId).append("/):\n").append(instance.logTail(40));
                }
                throw new AssertionError("the service did not catch up within " + timeout.toSeconds()
                        + " s; lag on the readings topic by partition: " + lag + "; group assignment: "
                        + readingsAssignment() + logs);
            }
            JvmProcess.sleep(500);
        }
    }

    /** Records of the readings topic not yet committed by the application, by partition. */
    Map<TopicPartition, Long> lag() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin().listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            Map<TopicPartition, Long> end = endOffsets("sensor-readings");
            Map<TopicPartition, Long> lag = new HashMap<>();
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag.put(e.getKey(), e.getValue() - (c == null ? 0 : c.offset()));
            }
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            // The broker may be restarting: report lag as unknown (all of it) and let the caller wait.
            return Map.of(new TopicPartition("sensor-readings", -1), Long.MAX_VALUE / 4);
        }
    }

    /**
     * Which partitions of the readings topic each member of the application's group holds, by the member's client
     * id (Kafka Streams names it {@code <application id>-<process id>-StreamThread-<n>-consumer}); empty while the
     * group rebalances.
     */
    Map<String, java.util.Set<Integer>> readingsAssignment() {
        try {
            org.apache.kafka.clients.admin.ConsumerGroupDescription group = admin()
                    .describeConsumerGroups(List.of(applicationId)).all().get(60, TimeUnit.SECONDS).get(applicationId);
            Map<String, java.util.Set<Integer>> out = new HashMap<>();
            if (group.groupState() != org.apache.kafka.common.GroupState.STABLE) {
                return out;
            }
            for (org.apache.kafka.clients.admin.MemberDescription m : group.members()) {
                java.util.Set<Integer> partitions = new java.util.TreeSet<>();
                for (TopicPartition tp : m.assignment().topicPartitions()) {
                    if (tp.topic().equals("sensor-readings")) {
                        partitions.add(tp.partition());
                    }
                }
                out.put(m.clientId(), partitions);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            return Map.of();
        }
    }

    /** The Kafka Streams process id an instance keeps in its state directory (stable across its restarts). */
    String processId(ServiceInstance instance) {
        Path file = instance.stateDir().resolve(applicationId).resolve("kafka-streams-process-metadata");
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).path("processId").asText();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + instance.name() + "'s process id from " + file + ": " + e, e);
        }
    }

    Map<TopicPartition, Long> endOffsets(String topic) throws InterruptedException, ExecutionException,
            TimeoutException {
        int partitions = admin().describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = admin().listOffsets(request).all()
                .get(60, TimeUnit.SECONDS);
        return result.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /**
     * Reads the outputs and checks conservation until it holds or {@code timeout} passes (an output can become
     * visible a moment after the input offsets are committed); returns the last report either way.
     */
    ConservationVerifier.Report verify(LoadProducer sent, OutputTopics outputs, Duration timeout) {
        ConservationVerifier verifier = new ConservationVerifier(WINDOW_LENGTH);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            outputs.drain(Duration.ofSeconds(120));
            ConservationVerifier.Report report = verifier.check(sent, outputs);
            if (report.ok() || System.nanoTime() > deadline) {
                return report;
            }
            JvmProcess.sleep(1000);
        }
    }

    /**
     * Closes the clients, ends every process of the scenario (instances first, then the broker) and keeps the
     * processes' logs in {@code target/fault-suite/logs/<application id>/} for whoever reads a failure.
     */
    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // clean-up goes on: the processes are what matters
            }
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        destroyAll();
        keepLogs();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private void keepLogs() {
        Path target = Path.of("target", "fault-suite", "logs", applicationId);
        try (var files = java.nio.file.Files.list(dir)) {
            java.nio.file.Files.createDirectories(target);
            try (var old = java.nio.file.Files.list(target)) {
                for (Path f : old.toList()) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
            for (Path f : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".out")).toList()) {
                java.nio.file.Files.copy(f, target.resolve(f.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.out.println("could not keep the logs of " + applicationId + ": " + e);
        }
    }

    private void destroyAll() {
        for (ServiceInstance instance : instances) {
            instance.destroyQuietly();
        }
        for (BrokerNode node : brokers) {
            node.destroyQuietly();
        }
    }
}
