package dev.streamcast.faults;

import dev.streamcast.cli.StreamcastCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code streamcast} command as a real operating-system process, started as users start it,
 * {@code java -jar target/streamcast.jar}, when that jar was built from the classes under test ({@link ShadedJar};
 * CI packages it first), else from the test class path. Its stdout and stderr (the log) go to files in the scenario's
 * directory, so nothing blocks on a full pipe and a failing scenario leaves the logs to read.
 */
final class JvmProcess {

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JvmProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code streamcast <command> <args>} in a JVM with the given heap.
     *
     * @param logDir where this start's stdout ({@code <name>-<nanos>.out}) and the log ({@code <name>.log}, appended
     *               to across restarts of the same name) are written
     */
    static JvmProcess start(String name, Path logDir, String heap, List<String> jvmOptions, String command,
                            List<String> args) {
        return start(name, logDir, heap, jvmOptions, command, args, java.util.Map.of());
    }

    /**
     * The same with {@code environment} added to the process's environment: how secrets reach it without being on
     * its command line (which this class writes at the head of the log).
     */
    static JvmProcess start(String name, Path logDir, String heap, List<String> jvmOptions, String command,
                            List<String> args, java.util.Map<String, String> environment) {
        return start(name, logDir, ShadedJar.forProcesses(), heap, jvmOptions, command, args, environment);
    }

    /**
     * The same from {@code jar} (null: the test class path): how a scenario runs another version's jar, e.g. the
     * one an upgrade starts from.
     */
    static JvmProcess start(String name, Path logDir, Path jar, String heap, List<String> jvmOptions, String command,
                            List<String> args, java.util.Map<String, String> environment) {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        line.add("-Xmx" + heap);
        line.addAll(jvmOptions);
        if (jar != null) {
            // As users run it: the jar's own logback.xml, its own class path.
            line.add("-jar");
            line.add(jar.toString());
        } else {
            if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Dlogback.configurationFile="))) {
                line.add("-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath());
            }
            line.add("-cp");
            line.add(System.getProperty("java.class.path"));
            line.add(StreamcastCommand.class.getName());
        }
        line.add(command);
        line.addAll(args);
        Path out = logDir.resolve(name + "-" + System.nanoTime() + ".out");
        Path err = logDir.resolve(name + ".log");
        try {
            Files.createDirectories(logDir);
            Files.writeString(err, "=== " + java.time.Instant.now() + " starting " + command + " " + args
                            + (jar != null ? " from " + jar.getFileName() : " from the test class path") + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(line).directory(logDir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new JvmProcess(name, process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits for a stdout line matching {@code pattern} and returns its match. Fails with the log's tail if the
     * process ends first or the line does not come in time.
     */
    Matcher awaitOutput(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher found = null;
            for (String l : read(stdout).split("\n")) {
                Matcher m = pattern.matcher(l);
                if (m.find()) {
                    found = m;
                    break;
                }
            }
            if (found != null) {
                return found;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended (exit " + process.exitValue() + ") before printing '"
                        + pattern + "'; its log ends with:\n" + logTail(60));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not print '" + pattern + "' within " + timeout.toSeconds()
                        + " s; its log ends with:\n" + logTail(60));
            }
            sleep(100);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hook, no clean close, open transactions left behind. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " (pid " + pid() + ") still runs 30 s after kill -9");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing " + name, e);
        }
    }

    /** SIGTERM, then waits for the clean stop; kill -9 after {@code timeout}. Returns the exit code. */
    int terminate(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError(name + " did not stop within " + timeout.toSeconds()
                        + " s of SIGTERM (killed); its log ends with:\n" + logTail(40));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted while stopping " + name, e);
        }
    }

    /** Ends the process whatever state it is in; for clean-up, never throws. */
    void destroyQuietly() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Everything the process (and earlier processes of the same name) logged. */
    String log() {
        return read(stderr);
    }

    Path logFile() {
        return stderr;
    }

    /** Everything the process printed on stdout. */
    String stdout() {
        return read(stdout);
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not end within " + timeout.toSeconds()
                        + " s; its log ends with:\n"
                        + logTail(40));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
    }

    String logTail(int lines) {
        List<String> all = List.of(log().split("\n"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
