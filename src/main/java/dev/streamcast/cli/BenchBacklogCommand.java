package dev.streamcast.cli;

import dev.streamcast.bench.e2e.BacklogBenchmark;
import dev.streamcast.bench.e2e.BacklogPeer;
import dev.streamcast.bench.e2e.BacklogReport;
import dev.streamcast.bench.e2e.BacklogResult;
import dev.streamcast.bench.e2e.BacklogService;
import dev.streamcast.bench.e2e.BacklogSettings;
import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.cli.files.ReportFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.model.ModelDocument;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamcast bench backlog}: a preloaded backlog drained by a fresh service JVM on a broker of its own. */
@Command(name = "backlog", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Drains a backlog the way a user meets one: starts 'streamcast broker' (a process of its own, "
                + "free ports, a temporary data directory), preloads N readings over S sensors, then starts a fresh "
                + "'streamcast run' JVM (a trained seed model, or --model with window.length set to match, from the "
                + "start, retraining off, defaults otherwise) "
                + "and times its drain from its consumer group's committed offsets, from the first commit to the "
                + "last offset. Reports readings/s, the CPU per reading of the service's process and of the "
                + "broker's, the bytes on disk per reading of every topic the service wrote (changelogs "
                + "included), and the start: the first minute's rate from the first commit beside the rest's "
                + "(5,000,000 readings or more make both at least a minute) and the service's CPU per reading by "
                + "kind of thread (JIT compiler, garbage collector, the rest) in each. With a peer (the Node.js one: "
                + "kafkajs + TensorFlow.js; the Python one: confluent-kafka + Keras 3 on JAX), the peer first drains "
                + "the same readings from a second topic and the ratio is printed.",
            "--json writes readings_per_s, service_cpu_us_per_reading, broker_cpu_us_per_reading, "
                + "cpu_us_per_reading, bytes_per_reading and bytes_per_reading_by_topic (du), "
                + "record_bytes_per_reading and record_bytes_per_reading_by_topic, seconds, startup_s, "
                + "other_processes_cpu_share, start_window_s, start_readings_per_s, steady_readings_per_s, "
                + "start_to_steady, start_cpu_us_per_reading and steady_cpu_us_per_reading (jit, gc, other), "
                + "readings_per_s_per_10s and the peer's figures."})
final class BenchBacklogCommand implements Runnable {

    /** The repository's copies of the peers, from the repository's root. */
    static final Path DEFAULT_PEER_DIR = Path.of("src", "test", "node", "peer");
    static final Path DEFAULT_PYTHON_PEER_DIR = Path.of("src", "test", "python", "peer");

    @Spec
    CommandSpec spec;

    @Option(names = "--readings", paramLabel = "N", defaultValue = "1000000",
            description = "Readings to preload (default: ${DEFAULT-VALUE}).")
    long readings;

    @Option(names = "--sensors", paramLabel = "S", defaultValue = "1000",
            description = "Sensors they are spread over, round robin (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(names = "--input", paramLabel = "FORM", defaultValue = "json",
            description = "json: each reading a JSON object with its timestamp, {\"value\":21.4,\"timestamp\":...}, "
                    + "as most producers write; number: a plain number, the record's timestamp (default: "
                    + "${DEFAULT-VALUE}).")
    String input;

    @Option(names = "--model", paramLabel = "FILE",
            description = "A model document (as 'streamcast import' writes it) the service forecasts with instead of "
                    + "the seed (model.initial and model.architecture, window.length and model.features set to "
                    + "match); the peer, which runs the seed, is left out.")
    Path model;

    @Option(names = "--peer", paramLabel = "PEER",
            description = "none; tfjs: the Node.js peer (kafkajs + TensorFlow.js); or python: the Python peer "
                    + "(confluent-kafka + Keras 3 on JAX). The peer drains the same readings first (default: tfjs "
                    + "when node and its npm packages are installed, none otherwise).")
    String peer;

    @Option(names = "--peer-dir", paramLabel = "DIR",
            description = "The peer's folder (default: src/test/node/peer of the repository, whose npm packages "
                    + "'npm ci --prefix src/test/node' installs; src/test/python/peer for python).")
    Path peerDir;

    @Option(names = "--peer-python", paramLabel = "FILE",
            description = "The interpreter of the Python peer, one that imports confluent_kafka, keras and jax "
                    + "(default: $KERAS_PYTHON when set, else python3; src/test/python/peer/README.md).")
    String peerPython;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A setting of the service, as 'streamcast run --set' takes it, after the benchmark's own "
                    + "(repeatable), e.g. --set kafka.producer.compression.type=lz4 to measure a codec.")
    List<String> serviceSettings = new ArrayList<>();

    @Option(names = "--jar", paramLabel = "FILE",
            description = "The runnable jar to start the broker and the service from (default: the jar running "
                    + "this command).")
    Path jar;

    @Option(names = "--service-java-option", paramLabel = "OPTION",
            description = "An option of the service's JVM, before -jar (repeatable; default: none, as a user starts "
                    + "it), e.g. --service-java-option=-XX:TieredStopAtLevel=1 to measure a launcher's setting.")
    List<String> serviceJavaOptions = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path json;

    @Override
    public void run() {
        if (json != null) {
            ReportFiles.checkWritable(json);
        }
        Path runnable = jar != null ? jar : runningJar();
        if (runnable == null) {
            throw new UserInputException("this command does not run from a jar: name the runnable jar with --jar "
                    + "(mvn -B -DskipTests package builds target/streamcast.jar)");
        }
        if (!Files.isRegularFile(runnable)) {
            throw new UserInputException("--jar " + runnable + ": no such file");
        }
        if (!input.equals("json") && !input.equals("number")) {
            throw new UserInputException("--input " + input + ": json or number");
        }
        int windowLength = 0;
        String features = null;
        if (model != null) {
            ModelDocument doc = ModelFiles.readDocument(model);
            windowLength = ModelFiles.toForecaster(model, doc, 0).windowLength();
            features = doc.features() == null ? null : String.join(",", doc.features());
        }
        BacklogSettings settings;
        try {
            settings = new BacklogSettings(readings, sensors, input.equals("json"), runnable.toAbsolutePath(),
                    model == null ? peer() : modelPeer(), new BacklogService(serviceJavaOptions, serviceSettings,
                            model, windowLength, features));
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        BacklogResult result;
        try {
            result = BacklogBenchmark.run(settings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        spec.commandLine().getOut().print(BacklogReport.formatTable(result));
        spec.commandLine().getOut().flush();
        if (json != null) {
            try {
                BacklogReport.writeJson(result, json);
            } catch (IOException e) {
                throw new UserInputException("--json " + json + ": cannot write: " + e.getMessage(), e);
            }
        }
    }

    /** The peer, or null for none: a peer asked for must be able to run; tfjs by default when it can. */
    private BacklogPeer peer() {
        if ("none".equals(peer)) {
            return null;
        }
        BacklogPeer chosen = named(peer == null ? "tfjs" : peer);
        String problem = chosen.problem();
        if (problem == null) {
            return chosen;
        }
        if (peer != null || peerDir != null) {
            throw new UserInputException("--peer " + chosen.kind().name().toLowerCase(Locale.ROOT)
                    + ": the peer cannot run: " + problem);
        }
        spec.commandLine().getErr().println("(no peer: " + problem + ")");
        return null;
    }

    /** With --model: no peer unless one is named (they run the seed, and the settings refuse that). */
    private BacklogPeer modelPeer() {
        return peer == null || "none".equals(peer) ? null : named(peer);
    }

    private BacklogPeer named(String name) {
        return switch (name) {
            case "tfjs" -> BacklogPeer.tfjs((peerDir != null ? peerDir : DEFAULT_PEER_DIR).toAbsolutePath());
            case "python" -> BacklogPeer.python((peerDir != null ? peerDir : DEFAULT_PYTHON_PEER_DIR).toAbsolutePath(),
                    peerPython != null ? peerPython : defaultPython());
            default -> throw new UserInputException("--peer " + name + ": none, tfjs or python");
        };
    }

    /** $KERAS_PYTHON (.ci/run sets it to an interpreter with Keras, JAX and confluent-kafka), else python3. */
    private static String defaultPython() {
        String keras = System.getenv("KERAS_PYTHON");
        return keras != null && !keras.isBlank() ? keras : "python3";
    }

    /** The jar this command runs from, or null when it runs from classes (a test, an IDE). */
    static Path runningJar() {
        try {
            Path location = Path.of(BenchBacklogCommand.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            return Files.isRegularFile(location) && location.toString().endsWith(".jar") ? location : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }
}
