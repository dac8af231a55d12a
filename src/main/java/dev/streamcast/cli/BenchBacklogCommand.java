package dev.streamcast.cli;

import dev.streamcast.bench.e2e.BacklogBenchmark;
import dev.streamcast.bench.e2e.BacklogReport;
import dev.streamcast.bench.e2e.BacklogResult;
import dev.streamcast.bench.e2e.BacklogSettings;
import dev.streamcast.bench.e2e.NodePeers;
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
                + "kind of thread (JIT compiler, garbage collector, the rest) in each. With the Node.js peer "
                + "(kafkajs + TensorFlow.js), the peer first drains the same readings from a second topic and the "
                + "ratio is printed.",
            "--json writes readings_per_s, service_cpu_us_per_reading, broker_cpu_us_per_reading, "
                + "cpu_us_per_reading, bytes_per_reading and bytes_per_reading_by_topic (du), "
                + "record_bytes_per_reading and record_bytes_per_reading_by_topic, seconds, startup_s, "
                + "other_processes_cpu_share, start_window_s, start_readings_per_s, steady_readings_per_s, "
                + "start_to_steady, start_cpu_us_per_reading and steady_cpu_us_per_reading (jit, gc, other), "
                + "readings_per_s_per_10s and the peer's figures."})
final class BenchBacklogCommand implements Runnable {

    /** The repository's copy of the peer, from the repository's root. */
    static final Path DEFAULT_PEER_DIR = Path.of("src", "test", "node", "peer");

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
            description = "none, or tfjs: the Node.js peer (kafkajs + TensorFlow.js) drains the same readings first "
                    + "(default: tfjs when node and its npm packages are installed, none otherwise).")
    String peer;

    @Option(names = "--peer-dir", paramLabel = "DIR",
            description = "The peer's folder (default: src/test/node/peer of the repository, whose npm packages "
                    + "'npm ci --prefix src/test/node' installs).")
    Path peerDir;

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
                    model == null ? peerDir() : modelPeerDir(), serviceJavaOptions, model, windowLength, features);
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

    /** The peer's folder, or null for none: --peer tfjs must find it, the default takes it only when it is there. */
    private Path peerDir() {
        Path dir = (peerDir != null ? peerDir : DEFAULT_PEER_DIR).toAbsolutePath();
        if ("none".equals(peer)) {
            return null;
        }
        if (peer != null && !"tfjs".equals(peer)) {
            throw new UserInputException("--peer " + peer + ": none or tfjs");
        }
        String problem = NodePeers.problem(dir);
        if (problem == null) {
            return dir;
        }
        if (peer != null || peerDir != null) {
            throw new UserInputException("--peer tfjs: the Node.js peer cannot run: " + problem);
        }
        spec.commandLine().getErr().println("(no peer: " + problem + ")");
        return null;
    }

    /** With --model: no peer (it runs the seed), and --peer tfjs is refused by the settings. */
    private Path modelPeerDir() {
        if (peer != null && !"none".equals(peer) && !"tfjs".equals(peer)) {
            throw new UserInputException("--peer " + peer + ": none or tfjs");
        }
        return "tfjs".equals(peer) ? (peerDir != null ? peerDir : DEFAULT_PEER_DIR).toAbsolutePath() : null;
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
