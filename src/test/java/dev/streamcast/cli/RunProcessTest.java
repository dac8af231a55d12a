package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamcast run} as a real process on a bare machine: it starts its embedded broker, survives kill -9
 * (the next start works on the same data), says when it is ready (GET /ready answers 200 by then), and stops cleanly
 * on SIGTERM (what Ctrl-C sends, in effect).
 */
@Tag("broker")
class RunProcessTest {

    @TempDir
    Path workDir;

    private Process start() throws IOException {
        return start(workDir);
    }

    /** `streamcast run` with its broker data, state and stderr log under {@code dir}. */
    private static Process start(Path dir) throws IOException {
        // The process's temporary directory is its own: Kafka Streams warns about a state directory under the OS
        // temporary directory, which is where a checkout (and so target/) may well be.
        Path tmp = Files.createDirectories(dir.resolve("jvm-tmp"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Djava.io.tmpdir=" + tmp,
                "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), StreamcastCommand.class.getName(), "run",
                "--set", "embedded.kafka.port=0",
                "--set", "embedded.kafka.dir=" + dir.resolve("kafka"),
                "--set", "kafka.state.dir=" + dir.resolve("state"),
                "--set", "http.port=0"));
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("stderr-" + System.nanoTime() + ".log").toFile()).start();
    }

    /** Waits for the line that says the service runs; fails with what the process printed if it does not come. */
    private static BufferedReader awaitRunning(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        awaitLine(process, out, "Streamcast is running");
        return out;
    }

    /** The next line of the process's output that starts with {@code prefix}. */
    private static String awaitLine(Process process, BufferedReader out, String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the process ended without printing '" + prefix + "'; exit " + process.exitValue());
    }

    private String stderr() throws IOException {
        return stderr(workDir);
    }

    private static String stderr(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("stderr-")).sorted().toList()) {
                all.append(Files.readString(p));
            }
        }
        return all.toString();
    }

    @Test
    void runStartsOnABareMachineSurvivesKillMinusNineAndStopsCleanly() throws Exception {
        Process first = start();
        try {
            awaitRunning(first);
        } finally {
            first.destroyForcibly(); // kill -9
            first.waitFor(30, TimeUnit.SECONDS);
        }
        Process second = start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(second.getInputStream(),
                    StandardCharsets.UTF_8));
            String running = awaitLine(second, out, "Streamcast is running");
            Matcher dashboard = Pattern.compile("dashboard at (http://\\S+/)\\.").matcher(running);
            assertTrue(dashboard.find(), running);
            awaitLine(second, out, "Streamcast is ready");
            // The line comes once GET /ready answers 200, not before.
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(dashboard.group(1) + "ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            second.destroy(); // SIGTERM
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "stops within a minute");
        } finally {
            second.destroyForcibly();
        }
        String log = stderr();
        assertTrue(log.contains("stopping Streamcast"), log);
        assertFalse(log.contains("Exception in thread"), log);
    }

    @Test
    void aStartAStopAndARestartOnTheSameDataLogNoWarningAndNoStackTrace() throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("restart"));
        for (int start = 1; start <= 2; start++) {
            Process process = start(dir);
            try {
                awaitRunning(process);
                process.destroy(); // SIGTERM
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "stops within a minute");
            } finally {
                process.destroyForcibly();
            }
        }
        String log = stderr(dir);
        assertTrue(log.contains("Stopped the embedded Kafka broker"), log);
        List<String> problems = log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")
                || l.startsWith("\tat ") || l.contains("Exception")).toList();
        assertEquals(List.of(), problems, "two clean starts and stops, the second on the first one's data");
    }
}
