package dev.streamcast.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hand-rolled peer of the backlog benchmark: what a user might write instead of Streamcast in an afternoon. Each
 * keeps every sensor's last 3 readings, forecasts every full window of a fetched batch with an LSTM of the seed's
 * shape and publishes one JSON forecast per reading, at-least-once, with no state store, dead-letter topic, accuracy
 * stream or retraining. Two of them, kept in the repository as issue 27 measured them:
 * <ul>
 *   <li>{@link Kind#TFJS}: {@code src/test/node/peer/peer-service.js}, kafkajs and TensorFlow.js on its wasm backend;
 *       its npm packages are those of {@code src/test/node} ({@code npm ci --prefix src/test/node});</li>
 *   <li>{@link Kind#PYTHON}: {@code src/test/python/peer/peer.py}, confluent-kafka (librdkafka) and Keras 3 on JAX,
 *       one jitted call per batch: what a Keras user would write. {@code python} is an interpreter that imports
 *       all three.</li>
 * </ul>
 *
 * @param kind   which peer
 * @param dir    the folder of its script
 * @param python the Python interpreter ({@link Kind#PYTHON} only; null for the Node.js peer)
 */
public record BacklogPeer(Kind kind, Path dir, String python) {

    /** The two peers: their names in the report and their scripts. */
    public enum Kind {
        TFJS("node.js (kafkajs + TensorFlow.js)", "peer-service.js"),
        PYTHON("python (confluent-kafka + Keras 3 on JAX)", "peer.py");

        private final String title;
        private final String script;

        Kind(String title, String script) {
            this.title = title;
            this.script = script;
        }

        /** How the report names the peer. */
        public String title() {
            return title;
        }

        String script() {
            return script;
        }
    }

    /** The packages the Node.js peer requires. */
    private static final List<String> NODE_PACKAGES = List.of("kafkajs", "@tensorflow/tfjs",
            "@tensorflow/tfjs-backend-wasm");
    /** The modules the Python peer imports. */
    private static final String PYTHON_MODULES = "import confluent_kafka, keras, jax, numpy";
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);

    public BacklogPeer {
        if (kind == Kind.PYTHON && python == null) {
            throw new IllegalArgumentException("the Python peer needs an interpreter");
        }
    }

    /** The Node.js peer in {@code dir}. */
    public static BacklogPeer tfjs(Path dir) {
        return new BacklogPeer(Kind.TFJS, dir, null);
    }

    /** The Python peer in {@code dir}, run by the interpreter {@code python}. */
    public static BacklogPeer python(Path dir, String python) {
        return new BacklogPeer(Kind.PYTHON, dir, python);
    }

    /** Why this peer cannot run here (no interpreter, no script, a package missing), or null when it can. */
    public String problem() {
        if (!Files.isRegularFile(dir.resolve(kind.script()))) {
            return "no " + kind.script() + " in " + dir;
        }
        List<String> check;
        String missing;
        if (kind == Kind.TFJS) {
            StringBuilder requires = new StringBuilder();
            NODE_PACKAGES.forEach(p -> requires.append("require.resolve('").append(p).append("');"));
            check = List.of("node", "-e", requires.toString());
            missing = "the npm packages " + NODE_PACKAGES + " are not installed (npm ci --prefix src/test/node)";
        } else {
            check = List.of(python, "-c", PYTHON_MODULES);
            missing = python + " cannot import confluent_kafka, keras, jax and numpy (src/test/python/peer/README.md "
                    + "says how to make an interpreter that can)";
        }
        try {
            Process p = environment(new ProcessBuilder(check)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(CHECK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return check.get(0) + " did not answer within " + CHECK_TIMEOUT.toSeconds() + " s";
            }
            return p.exitValue() == 0 ? null : missing;
        } catch (IOException e) {
            return kind == Kind.TFJS ? "node is not installed (apt-get install nodejs npm)"
                    : "cannot run " + python + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for " + check.get(0);
        }
    }

    /**
     * Runs the peer until it has written {@code expected} forecasts from {@code readingsTopic} to
     * {@code forecastsTopic}, and returns its report.
     *
     * @throws IllegalStateException if it fails or does not finish within {@code timeout}
     */
    PeerResult drain(Path work, String bootstrap, String readingsTopic, String forecastsTopic, long expected,
                     Duration timeout) throws InterruptedException {
        Path out = work.resolve("peer.out");
        List<String> command = new ArrayList<>(kind == Kind.TFJS ? List.of("node") : List.of(python));
        command.addAll(List.of(kind.script(), bootstrap, readingsTopic, forecastsTopic, Long.toString(expected),
                work.resolve("peer.json").toString()));
        Process peer;
        try {
            peer = ChildProcesses.started(environment(new ProcessBuilder(command)).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the peer (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
        try {
            if (!peer.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the peer did not write its " + expected + " forecasts within "
                        + timeout.toSeconds() + " s:\n" + read(out));
            }
            String output = read(out);
            if (peer.exitValue() != 0) {
                throw new IllegalStateException("the peer failed (exit " + peer.exitValue() + "):\n" + output);
            }
            return PeerResult.parse(output);
        } finally {
            peer.destroyForcibly();
            ChildProcesses.ended(peer);
        }
    }

    /** Keras 3 picks its backend from the environment; the Python peer is written for JAX. */
    private ProcessBuilder environment(ProcessBuilder builder) {
        if (kind == Kind.PYTHON) {
            builder.environment().put("KERAS_BACKEND", "jax");
        }
        return builder;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
