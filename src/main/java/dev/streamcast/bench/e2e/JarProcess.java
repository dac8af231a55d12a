package dev.streamcast.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code java -jar JAR COMMAND ...} process of the backlog benchmark (the broker, the seed's training, the
 * service), as a user starts it: its stdout and stderr go to files in the run's directory, and its CPU time is read
 * from the operating system while it runs ({@link ProcessHandle.Info#totalCpuDuration}, {@code /proc/PID/stat} on
 * Linux), so the broker's CPU and the service's are counted apart.
 */
final class JarProcess implements AutoCloseable {

    private static final long STOP_WAIT_S = 60;

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private JarProcess(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code java -jar jar args...} in {@code dir}, its stdout to {@code dir/NAME.out}, stderr to NAME.log. */
    static JarProcess start(String name, Path jar, Path dir, List<String> args) {
        return start(name, List.of(), jar, dir, args);
    }

    /** The same with {@code javaOptions} before {@code -jar}. */
    static JarProcess start(String name, List<String> javaOptions, Path jar, Path dir, List<String> args) {
        List<String> command = new ArrayList<>(List.of(javaCommand()));
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        command.addAll(args);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".log");
        try {
            Process process = ChildProcesses.started(new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start());
            return new JarProcess(name, process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** The java launcher of this JVM: the children run on the same Java as the benchmark. */
    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The CPU time the process has used so far (user and system, all threads), in ns; -1 when unknown. */
    long cpuNanos() {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    long pid() {
        return process.pid();
    }

    /** Throws if the process ended: a broker or service that stopped ends the run at once, with its log. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the " + name + " process ended (exit " + process.exitValue() + "):\n"
                    + tail());
        }
    }

    /** Waits for a line of its stdout that starts with {@code prefix} and returns it. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines(out)) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            checkAlive();
            Thread.sleep(100);
        }
        throw new IllegalStateException("the " + name + " process did not print '" + prefix + "' within "
                + timeout.toSeconds() + " s:\n" + tail());
    }

    /** Waits for the process to end by itself; throws with its log unless it exits 0. */
    void awaitSuccess(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IllegalStateException("the " + name + " process did not end within " + timeout.toSeconds()
                    + " s:\n" + tail());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the " + name + " process failed (exit " + process.exitValue() + "):\n"
                    + tail());
        }
    }

    /** The last 20 lines of its stderr and stdout, for an error message. */
    String tail() {
        List<String> lines = new ArrayList<>(lines(err));
        lines.addAll(lines(out));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    /** Stops it as Ctrl-C would (SIGTERM), forcibly after a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_WAIT_S, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_WAIT_S, TimeUnit.SECONDS);
        }
        ChildProcesses.ended(process);
    }
}
