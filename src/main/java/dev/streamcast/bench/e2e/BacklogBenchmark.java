package dev.streamcast.bench.e2e;

import dev.streamcast.service.TemporaryDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code streamcast bench backlog}: a backlog drained the way a user meets one. One {@code streamcast broker} process;
 * the readings preloaded into the readings topic (and, with the peer, into a second topic the peer drains first); then
 * a fresh {@code streamcast run} JVM with a trained seed model (or the settings' model, as model.initial and
 * model.architecture, with window.length and model.features set to match) from the start and retraining off (as the
 * peer, which never retrains), defaults otherwise. Its drain is timed from its consumer group's committed offsets,
 * from the first commit to the readings' end offsets (see {@link Drain} for why committed offsets), and the CPU of the
 * service's and the broker's processes over that time is read from the operating system. The committed offsets over
 * time ({@link DrainTimeline}) give the start's rate beside the steady one, and the service's threads' CPU
 * ({@link ThreadCpu}) where the start's time goes.
 */
public final class BacklogBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(BacklogBenchmark.class);
    static final String READINGS_TOPIC = "sensor-readings";
    static final String PEER_READINGS_TOPIC = "peer-readings";
    static final String PEER_FORECASTS_TOPIC = "peer-forecasts";
    /** The service's application id, so its consumer group. */
    static final String GROUP = "streamcast";
    /** As the service's topics (topics.partitions). */
    private static final int PARTITIONS = 4;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(50);
    /** A seed series the seed model is trained on: enough windows for a model, seconds of training. */
    private static final String SEED_CSV = "value\n1\n2\n3\n4\n5\n6\n7\n";

    private BacklogBenchmark() {
    }

    /** Runs the benchmark; every process it started has ended and its data is deleted when it returns. */
    public static BacklogResult run(BacklogSettings s) throws InterruptedException {
        Path work;
        try {
            work = Files.createTempDirectory("streamcast-backlog");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the run", e);
        }
        // Interrupted (Ctrl-C), the run still stops what it started and deletes its data, hundreds of MB.
        Thread cleanUp = new Thread(() -> {
            ChildProcesses.stopAll();
            TemporaryDirectories.delete(work, "the benchmark's data directory");
        }, "streamcast-backlog-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try {
            return run(s, work);
        } finally {
            TemporaryDirectories.delete(work, "the benchmark's data directory");
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUp);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook runs anyway.
            }
        }
    }

    private static BacklogResult run(BacklogSettings s, Path work) throws InterruptedException {
        Path model = s.service().model() != null ? s.service().model().toAbsolutePath() : trainSeed(s.jar(), work);
        int kafkaPort = freePort();
        String bootstrap = "127.0.0.1:" + kafkaPort;
        try (JarProcess broker = JarProcess.start("broker", s.jar(), work, List.of("broker",
                "--set", "embedded.kafka.port=" + kafkaPort, "--set", "embedded.kafka.dir=" + work.resolve("kafka")))) {
            // Before the admin client: it warns on every connection the broker refuses while it starts.
            broker.awaitLine("Kafka broker running at", START_TIMEOUT);
            try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                return measure(s, work, model, bootstrap, broker, admin);
            }
        }
    }

    private static BacklogResult measure(BacklogSettings s, Path work, Path model, String bootstrap,
                                         JarProcess broker, Admin admin) throws InterruptedException {
        LOG.info("broker running at {} (pid {}); preloading {} readings over {} sensors", bootstrap,
                broker.pid(), s.readings(), s.sensors());
        List<String> inputs = s.peer() == null ? List.of(READINGS_TOPIC)
                : List.of(PEER_READINGS_TOPIC, READINGS_TOPIC);
        createTopics(admin, inputs);
        Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Readings readings = new Readings(s.sensors());
        inputs.forEach(topic -> Preload.produce(client, topic, readings, s.readings(), s.json()));
        Duration timeout = Duration.ofMinutes(5).plusSeconds(s.readings() / 1_000);
        PeerResult peer = null;
        if (s.peer() != null) {
            peer = s.peer().drain(work, bootstrap, PEER_READINGS_TOPIC, PEER_FORECASTS_TOPIC, s.peerForecasts(),
                    timeout);
            LOG.info("the peer drained {} forecasts at {} readings/s", peer.forecasts(), Math.round(peer.rps()));
        }
        long serviceStarted = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("run",
                "--set", "kafka.bootstrap.servers=" + bootstrap,
                "--set", "kafka.application.id=" + GROUP,
                "--set", "topics.readings=" + READINGS_TOPIC,
                "--set", "http.port=" + freePort(),
                "--set", "kafka.state.dir=" + work.resolve("state"),
                "--set", "model.initial=" + model,
                // Retraining off, as the peer: no retraining is due within the run.
                "--set", "retrain.every.samples=" + Integer.MAX_VALUE,
                "--set", "retrain.min.samples=10000",
                "--set", "retrain.every=36500d"));
        BacklogService how = s.service();
        if (how.model() != null) {
            args.addAll(List.of("--set", "model.architecture=" + model,
                    "--set", "window.length=" + how.windowLength()));
            if (how.features() != null) {
                args.addAll(List.of("--set", "model.features=" + how.features()));
            }
        }
        // The caller's settings last: they win over the benchmark's own.
        how.settings().forEach(setting -> args.addAll(List.of("--set", setting)));
        try (JarProcess service = JarProcess.start("service", how.javaOptions(), s.jar(), work, args)) {
            return drain(s, admin, work.resolve("kafka"), broker, service, serviceStarted, peer, timeout);
        }
    }

    private static BacklogResult drain(BacklogSettings s, Admin admin, Path logDir, JarProcess broker,
                                       JarProcess service, long serviceStarted, PeerResult peer, Duration timeout)
            throws InterruptedException {
        Map<TopicPartition, Long> ends = Drain.endOffsets(admin, READINGS_TOPIC);
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        long deadline = System.nanoTime() + timeout.toNanos();
        long firstAt = 0;
        long first = 0;
        long serviceCpu0 = 0;
        long brokerCpu0 = 0;
        long ownCpu0 = 0;
        MachineCpu.Sample machine0 = null;
        DrainTimeline timeline = new DrainTimeline();
        while (true) {
            service.checkAlive();
            broker.checkAlive();
            long done = Drain.committed(admin, GROUP, ends).values().stream().mapToLong(Long::longValue).sum();
            long now = System.nanoTime();
            if (done > 0 && firstAt == 0) {
                firstAt = now;
                first = done;
                serviceCpu0 = service.cpuNanos();
                brokerCpu0 = broker.cpuNanos();
                ownCpu0 = ownCpuNanos();
                machine0 = MachineCpu.sample();
            }
            if (firstAt != 0) {
                timeline.add(now - firstAt, done - first, done >= total, () -> ThreadCpu.sample(service.pid()));
            }
            if (done >= total) {
                long serviceCpu = service.cpuNanos();
                long brokerCpu = broker.cpuNanos();
                long ownCpu = ownCpuNanos();
                MachineCpu.Sample machine = MachineCpu.sample();
                if (done == first) {
                    throw new IllegalStateException("the service's first commit already covered all " + total
                            + " readings: too few to time a drain (more --readings)");
                }
                Set<String> topics = serviceTopics(admin);
                Map<String, Long> disk = DiskUsage.bytesByTopic(logDir, topics);
                Map<String, Long> logs = LogSizes.bytesOnDisk(admin, topics);
                long serviceUsed = serviceCpu0 < 0 || serviceCpu < 0 ? -1 : serviceCpu - serviceCpu0;
                long brokerUsed = brokerCpu0 < 0 || brokerCpu < 0 ? -1 : brokerCpu - brokerCpu0;
                long ownUsed = ownCpu0 < 0 || ownCpu < 0 ? -1 : ownCpu - ownCpu0;
                double other = serviceUsed < 0 || brokerUsed < 0 || ownUsed < 0 ? Double.NaN
                        : MachineCpu.otherShare(machine0, machine, serviceUsed + brokerUsed + ownUsed);
                BacklogResult result = new BacklogResult(s, total - first, (now - firstAt) / 1e9,
                        (firstAt - serviceStarted) / 1e9, serviceUsed, brokerUsed, other, disk, logs, peer,
                        timeline.start());
                LOG.info("the service drained {} readings at {} readings/s ({} in its first {} s)", total,
                        Math.round(result.readingsPerSecond()), Math.round(result.start().startRps()),
                        Math.round(result.start().windowSeconds()));
                return result;
            }
            if (now > deadline) {
                throw new IllegalStateException("the service did not drain its backlog within " + timeout.toSeconds()
                        + " s: " + done + " of " + total + " readings committed:\n" + service.tail());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** This JVM's CPU time (its offset polls), in ns; -1 when unknown. */
    private static long ownCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Every topic but the preloaded inputs, the peer's and Kafka's own: what the service wrote. */
    private static Set<String> serviceTopics(Admin admin) throws InterruptedException {
        try {
            Set<String> topics = new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            topics.removeAll(List.of(READINGS_TOPIC, PEER_READINGS_TOPIC, PEER_FORECASTS_TOPIC));
            topics.removeIf(t -> t.startsWith("__"));
            return topics;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the broker's topics: " + e, e);
        }
    }

    private static void createTopics(Admin admin, List<String> names) throws InterruptedException {
        try {
            admin.createTopics(names.stream().map(n -> new NewTopic(n, PARTITIONS, (short) 1)).toList()).all()
                    .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the topics " + names + ": " + e, e);
        }
    }

    /**
     * Trains the seed model as a user would ({@code streamcast train} on the seed architecture the jar carries,
     * config/model.json): the service forecasts with it from its first window, as the peer does.
     */
    private static Path trainSeed(Path jar, Path work) throws InterruptedException {
        Path architecture = work.resolve("architecture.json");
        Path seed = work.resolve("seed.csv");
        Path model = work.resolve("model.json");
        try (InputStream in = BacklogBenchmark.class.getResourceAsStream("/config/model.json")) {
            if (in == null) {
                throw new IllegalStateException("the seed architecture config/model.json is not on the class path");
            }
            Files.copy(in, architecture);
            Files.writeString(seed, SEED_CSV);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the seed's files to " + work, e);
        }
        List<String> args = new ArrayList<>(List.of("train", "--model", architecture.toString(), "--data",
                seed.toString(), "--out", model.toString()));
        try (JarProcess train = JarProcess.start("train", jar, work, args)) {
            train.awaitSuccess(START_TIMEOUT);
        }
        return model;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }
}
