package dev.streamcast.cli;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A {@code streamcast run} process on its own embedded broker (a free port), for tests that talk to it with
 * third-party clients: from the test class path, or {@code java -jar JAR run} with {@code -Dstreamcast.jar=JAR}, as
 * .ci/run runs them once the shaded jar is built. Started ready (its "Streamcast is ready" line seen).
 */
final class ServiceProcess implements AutoCloseable {

    /** A system property naming the shaded jar to run (java -jar JAR run) instead of the test class path. */
    static final String JAR_PROPERTY = "streamcast.jar";
    private static final Pattern KAFKA_AT = Pattern.compile("on Kafka at (\\S+?)[ ;]");

    private final Process process;
    private final Path log;
    private final Path out;
    private final String bootstrap;

    private ServiceProcess(Process process, Path log, Path out, String bootstrap) {
        this.process = process;
        this.log = log;
        this.out = out;
        this.bootstrap = bootstrap;
    }

    /** Starts a service in {@code dir} with {@code settings} (KEY=VALUE each, as --set) and waits until ready. */
    static ServiceProcess start(Path dir, String... settings) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("jvm-tmp"));
        Path log = dir.resolve("service.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-Djava.io.tmpdir=" + tmp));
        String jar = System.getProperty(JAR_PROPERTY, "");
        if (jar.isBlank()) {
            // The test class path: mvn verify runs the tests before it builds the shaded jar.
            command.addAll(List.of("-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml")
                    .toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                    StreamcastCommand.class.getName()));
        } else {
            assertTrue(Files.isRegularFile(Path.of(jar)), JAR_PROPERTY + "=" + jar + ": no such file");
            command.addAll(List.of("-jar", Path.of(jar).toAbsolutePath().toString()));
        }
        command.addAll(List.of("run",
                "--set", "embedded.kafka.port=0",
                "--set", "embedded.kafka.dir=" + dir.resolve("kafka"),
                "--set", "kafka.state.dir=" + dir.resolve("state"),
                "--set", "http.port=0"));
        for (String setting : settings) {
            command.addAll(List.of("--set", setting));
        }
        Path out = dir.resolve("service.out");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(log.toFile()).start();
        ServiceProcess service = new ServiceProcess(process, log, out, null);
        String running = service.awaitLine(out, "Streamcast is running", Duration.ofMinutes(3));
        Matcher at = KAFKA_AT.matcher(running);
        assertTrue(at.find(), running);
        service.awaitLine(out, "Streamcast is ready", Duration.ofMinutes(3));
        return new ServiceProcess(process, log, out, at.group(1));
    }

    /** The embedded broker's bootstrap address. */
    String bootstrap() {
        return bootstrap;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Every line the service printed so far: its stdout, then its log (stderr). */
    List<String> output() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(out, StandardCharsets.UTF_8));
        lines.addAll(Files.readAllLines(log, StandardCharsets.UTF_8));
        return lines;
    }

    /** The last 40 lines of the service's log (stderr). */
    String tail() {
        String text;
        try {
            text = Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Waits for a line of the service's stdout starting with {@code prefix}; fails with its log if none comes. */
    private String awaitLine(Path out, String prefix, Duration timeout) {
        AtomicReference<String> line = new AtomicReference<>();
        try {
            await("'" + prefix + "'", timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                    if (l.startsWith(prefix)) {
                        line.set(l);
                        return true;
                    }
                }
                if (!process.isAlive()) {
                    fail("the service ended (exit " + process.exitValue() + ") before '" + prefix + "':\n" + tail());
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            fail("no '" + prefix + "' within " + timeout.toSeconds() + " s:\n" + tail());
        }
        return line.get();
    }

    /** Stops the service (SIGTERM, then SIGKILL after a minute). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
