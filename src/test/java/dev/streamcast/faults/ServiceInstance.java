package dev.streamcast.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Streamcast instance ({@code streamcast run} against the scenario's broker) across its restarts: the same
 * settings, state directory and HTTP port every time it is started. Its log accumulates in one file.
 */
final class ServiceInstance {

    static final Pattern RUNNING = Pattern.compile("^Streamcast is running");
    /** What Streamcast logs when a stream thread dies and is replaced: a restart inside the process. */
    static final Pattern THREAD_REPLACED = Pattern.compile("(?i)stream thread failed|replacing it");

    private final String name;
    private final Path logDir;
    private final Map<String, String> settings;
    private final String heap;
    private final List<String> jvmOptions;
    private JvmProcess process;
    private int starts;
    // Another version's jar to start from (an upgrade's old version); null: the version under test.
    private Path jar;

    ServiceInstance(String name, Path logDir, Map<String, String> settings, String heap, List<String> jvmOptions) {
        this.name = name;
        this.logDir = logDir;
        this.settings = new LinkedHashMap<>(settings);
        this.heap = heap;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Starts the process and waits until it says it runs (topics exist, Kafka Streams started). */
    ServiceInstance start(Duration timeout) {
        launch();
        process.awaitOutput(RUNNING, timeout);
        return this;
    }

    /** Starts the process without waiting for anything (a start that is to fail). */
    ServiceInstance launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        process = jar == null ? JvmProcess.start(name, logDir, heap, jvmOptions, "run", args)
                : JvmProcess.start(name, logDir, jar, heap, jvmOptions, "run", args, Map.of());
        starts++;
        return this;
    }

    /** Starts this instance from another version's jar from now on; null: the version under test again. */
    ServiceInstance runFrom(Path jar) {
        this.jar = jar;
        return this;
    }

    /** kill -9. */
    void kill() {
        process.kill();
    }

    /** SIGTERM and a clean stop. */
    void stop() {
        int exit = process.terminate(Duration.ofSeconds(90));
        if (exit != 0 && exit != 143) {
            throw new AssertionError(name + " exited with " + exit + " on SIGTERM; its log ends with:\n"
                    + process.logTail(40));
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int starts() {
        return starts;
    }

    String name() {
        return name;
    }

    String setting(String key) {
        return settings.get(key);
    }

    void set(String key, String value) {
        settings.put(key, value);
    }

    Path stateDir() {
        return Path.of(settings.get("kafka.state.dir"));
    }

    int httpPort() {
        return Integer.parseInt(settings.get("http.port"));
    }

    /** The log of every start of this instance. */
    String log() {
        return process == null ? "" : process.log();
    }

    String logTail(int lines) {
        return process == null ? "" : process.logTail(lines);
    }

    /** Lines of the log saying a stream thread failed and was replaced. */
    List<String> threadReplacements() {
        List<String> lines = new ArrayList<>();
        for (String line : log().split("\n")) {
            Matcher m = THREAD_REPLACED.matcher(line);
            if (m.find()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Fails with the log's tail when the process is not running. */
    void assertAlive(String when) {
        if (!isAlive()) {
            throw new AssertionError(name + " is not running " + when + "; its log ends with:\n" + logTail(60));
        }
    }

    /** Ends the process, whatever its state; for clean-up. */
    void destroyQuietly() {
        if (process != null) {
            process.destroyQuietly();
        }
    }
}
