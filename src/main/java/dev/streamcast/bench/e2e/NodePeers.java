package dev.streamcast.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The hand-rolled peer of the backlog benchmark: {@code peer-service.js} (kafkajs and TensorFlow.js on its wasm
 * backend), what a user might write instead of Streamcast in an afternoon. It keeps each sensor's last 3 readings,
 * forecasts every full window of a fetched batch with an LSTM of the seed's shape and publishes one JSON forecast
 * per reading, at-least-once, with no state store, dead-letter topic, accuracy stream or retraining. Its folder
 * (the repository's {@code src/test/node/peer}) finds its npm packages in {@code src/test/node/node_modules}
 * ({@code npm ci --prefix src/test/node}).
 */
public final class NodePeers {

    static final String SCRIPT = "peer-service.js";
    /** The packages the script requires. */
    private static final List<String> PACKAGES = List.of("kafkajs", "@tensorflow/tfjs",
            "@tensorflow/tfjs-backend-wasm");
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    private NodePeers() {
    }

    /** Why the peer in {@code dir} cannot run here (no node, no script, a package missing), or null when it can. */
    public static String problem(Path dir) {
        if (!Files.isRegularFile(dir.resolve(SCRIPT))) {
            return "no " + SCRIPT + " in " + dir;
        }
        StringBuilder check = new StringBuilder();
        PACKAGES.forEach(p -> check.append("require.resolve('").append(p).append("');"));
        try {
            Process node = new ProcessBuilder("node", "-e", check.toString()).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!node.waitFor(CHECK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                node.destroyForcibly();
                return "node did not answer within " + CHECK_TIMEOUT.toSeconds() + " s";
            }
            return node.exitValue() == 0 ? null : "the npm packages " + PACKAGES + " are not installed "
                    + "(npm ci --prefix src/test/node)";
        } catch (IOException e) {
            return "node is not installed (apt-get install nodejs npm)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for node";
        }
    }

    /**
     * Runs the peer in {@code dir} until it has written {@code expected} forecasts from {@code readingsTopic} to
     * {@code forecastsTopic}, and returns its report.
     *
     * @throws IllegalStateException if it fails or does not finish within {@code timeout}
     */
    static PeerResult drain(Path dir, Path work, String bootstrap, String readingsTopic, String forecastsTopic,
                            long expected, Duration timeout) throws InterruptedException {
        Path out = work.resolve("peer.out");
        Process node;
        try {
            node = ChildProcesses.started(new ProcessBuilder("node", SCRIPT, bootstrap, readingsTopic,
                    forecastsTopic, Long.toString(expected), work.resolve("peer.json").toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the peer (node " + dir.resolve(SCRIPT) + "): "
                    + e.getMessage(), e);
        }
        try {
            if (!node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the peer did not write its " + expected + " forecasts within "
                        + timeout.toSeconds() + " s:\n" + read(out));
            }
            String output = read(out);
            if (node.exitValue() != 0) {
                throw new IllegalStateException("the peer failed (exit " + node.exitValue() + "):\n" + output);
            }
            return PeerResult.parse(output);
        } finally {
            node.destroyForcibly();
            ChildProcesses.ended(node);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
