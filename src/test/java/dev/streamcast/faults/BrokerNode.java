package dev.streamcast.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code streamcast broker} process across its restarts: the same node id, ports, data directory and settings
 * every time, so a restarted node rejoins its cluster where it left off. A node alone (no voters) is the single-node
 * broker of the older scenarios.
 */
final class BrokerNode {

    private final String name;
    private final Path logDir;
    private final int port;
    private final Map<String, String> settings;
    private JvmProcess process;

    /**
     * @param settings the node's --set keys (embedded.kafka.* beyond the port and data directory)
     */
    BrokerNode(String name, Path logDir, int port, Path dataDir, Map<String, String> settings) {
        this.name = name;
        this.logDir = logDir;
        this.port = port;
        this.settings = new java.util.LinkedHashMap<>(settings);
        this.settings.put("embedded.kafka.port", Integer.toString(port));
        this.settings.put("embedded.kafka.dir", dataDir.toString());
    }

    /** Starts the process; {@link #awaitRunning} waits for it (the nodes of a cluster wait for each other). */
    BrokerNode launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        process = JvmProcess.start(name, logDir, "768m", List.of(), "broker", args);
        return this;
    }

    void awaitRunning(Duration timeout) {
        process.awaitOutput(FaultCluster.BROKER_RUNNING, timeout);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    JvmProcess process() {
        return process;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** kill -9. */
    void kill() {
        process.kill();
    }

    /** SIGTERM and a wait for its clean stop. */
    void stop() {
        int exit = process.terminate(Duration.ofSeconds(120));
        if (exit != 0 && exit != 143) {
            throw new AssertionError(name + " exited with " + exit + " on SIGTERM; its log ends with:\n"
                    + process.logTail(40));
        }
    }

    void destroyQuietly() {
        if (process != null) {
            process.destroyQuietly();
        }
    }
}
