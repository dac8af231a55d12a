package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.kafka.TestBrokers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first hour's mistakes, made with real processes as a user makes them: a Kafka that cannot be reached (a host
 * that does not resolve, nothing listening, no answer, something that is not Kafka, another security protocol, a
 * controller's port, a broker advertising an address nobody can reach) ends {@code run} and {@code demo} with one
 * line naming the address and the likely cause, exit code 2, within the timeout the line states; a port in use or a
 * data directory in use ends {@code run} and {@code broker} the same way before anything starts. "One line" is the
 * whole of what the process printed, stdout and stderr (the log) together: no stack trace, no client warnings.
 */
@Tag("broker")
class StartupMistakesProcessTest {

    /** The check's timeout in these runs; short, so the runs are. */
    private static final String TIMEOUT = "3s";
    /**
     * How long a run that waits out the timeout may take in all: the timeout, the client's answer after it, and a
     * JVM's start and stop on a loaded two-core machine. Without the check, the default 15 s (or before it, 60 s of
     * Kafka's retries) would pass it.
     */
    private static final Duration TIMED_OUT_RUN = Duration.ofSeconds(13);
    /**
     * How long a run refused for a port or a data directory in use may take: a JVM's start and the checks, nothing
     * else (about 1.5 s on an idle machine; the bound leaves room for a loaded one). Before the checks moved first,
     * a taken HTTP port was found after the broker and the stream had started, 18 s in.
     */
    private static final Duration CHECKED_FIRST = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    record Exit(int code, String output, Duration took) {
    }

    /** {@code streamcast <args>} as a process; its stdout and stderr together, its exit code and its duration. */
    private Exit streamcast(String... args) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("jvm-tmp"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Djava.io.tmpdir=" + tmp,
                "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), StreamcastCommand.class.getName()));
        command.addAll(List.of(args));
        Path output = dir.resolve("output-" + System.nanoTime() + ".txt");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), () -> String.join(" ", args) + " still runs after 90 s: "
                    + read(output));
        } finally {
            process.destroyForcibly();
        }
        return new Exit(process.exitValue(), read(output), Duration.ofNanos(System.nanoTime() - start));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code run} (or {@code demo}) against {@code bootstrap}, with the check's timeout short and the rest local. */
    private Exit against(String command, String bootstrap, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(command, "--set", "kafka.bootstrap.servers=" + bootstrap,
                "--set", "startup.kafka-timeout=" + TIMEOUT, "--set", "kafka.state.dir=" + dir.resolve("state"),
                "--set", "http.port=0"));
        for (String set : more) {
            args.add("--set");
            args.add(set);
        }
        return streamcast(args.toArray(String[]::new));
    }

    /** Exit code 2 and the whole output one line, containing every fragment; no stack trace, no log line. */
    private void assertOneLine(Exit exit, String... fragments) {
        assertEquals(2, exit.code(), exit.output());
        assertEquals(1, exit.output().strip().lines().count(), exit.output());
        for (String f : fragments) {
            assertTrue(exit.output().contains(f), () -> "'" + f + "' not in: " + exit.output());
        }
        assertFalse(exit.output().contains("\tat ") || exit.output().contains(" WARN ")
                || exit.output().contains(" ERROR "), exit.output());
        // Nothing started: the stream's state directory is created only once the check has passed.
        assertFalse(Files.exists(dir.resolve("state")), "the service started");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aHostThatDoesNotResolveIsNamed() throws Exception {
        // .invalid never resolves (RFC 2606); the README's example host kafka-1 does not either, on most machines.
        Exit exit = against("run", "kafka-1.invalid:9092");
        assertOneLine(exit, "run: ", "kafka-1.invalid:9092", "does not resolve");
    }

    @Test
    void nothingListeningIsARefusedConnectionForRunAndDemo() throws Exception {
        String bootstrap = "127.0.0.1:" + closedPort();
        assertOneLine(against("run", bootstrap), "run: ", bootstrap, "refused the connection");
        assertOneLine(against("demo", bootstrap), "demo: ", bootstrap, "refused the connection");
    }

    @Test
    void anAddressThatNeverAnswersEndsWithinTheStatedTimeout() throws Exception {
        // A listener whose accept queue is full: Linux drops further connection requests unanswered, as a firewall
        // or a host that is down does.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 500);
                        queued.add(s);
                    } catch (IOException noMoreRoom) {
                        s.close();
                        break;
                    }
                }
                String bootstrap = "127.0.0.1:" + full.getLocalPort();
                Exit exit = against("demo", bootstrap);
                assertOneLine(exit, "demo: ", bootstrap, "did not answer within 3 s", "startup.kafka-timeout");
                assertTrue(exit.took().compareTo(TIMED_OUT_RUN) < 0, "took " + exit.took());
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aServiceThatIsNotKafkaIsNamedAsSuchWithinTheStatedTimeout() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.start();
        try {
            String bootstrap = "127.0.0.1:" + http.getAddress().getPort();
            Exit exit = against("run", bootstrap);
            assertOneLine(exit, "run: ", bootstrap, "no Kafka answer within 3 s", "startup.kafka-timeout",
                    "kafka.security.protocol=PLAINTEXT");
            assertTrue(exit.took().compareTo(TIMED_OUT_RUN) < 0, "took " + exit.took());
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aRealBrokerSpokenToInTheWrongProtocolOrAtItsControllerPortOrAdvertisingAnUnknownHost() throws Exception {
        int controllerPort = closedPort();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0)
                .controllerPort(controllerPort).start()) {
            String bootstrap = broker.bootstrapServers();
            Exit tls = against("run", bootstrap, "kafka.security.protocol=SSL");
            assertOneLine(tls, "run: ", bootstrap, "no Kafka answer", "kafka.security.protocol=SSL");
            assertTrue(tls.took().compareTo(TIMED_OUT_RUN) < 0, "took " + tls.took());

            String controller = "127.0.0.1:" + controllerPort;
            // Named either way: a controller answers that it serves no metadata, or (when its answer comes late)
            // the line that nothing Kafka answered names the controller port as a likely cause.
            assertOneLine(against("run", controller), "run: ", controller, "controller");
        }
        // The classic container mistake: the broker answers at the address given, then sends its clients to one
        // that only means something inside its own network. Here a second listener, EXTERNAL, advertises such a
        // name (the broker's own listener stays usable, so that it can start).
        int port = closedPort();
        int external = closedPort();
        int controller = closedPort();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka-advertised")).port(port)
                .controllerPort(controller)
                .brokerProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller
                        + ",EXTERNAL://127.0.0.1:" + external)
                .brokerProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port
                        + ",EXTERNAL://kafka-1.invalid:" + external)
                .brokerProperty("listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT").start()) {
            String bootstrap = "127.0.0.1:" + external;
            Exit exit = against("run", bootstrap);
            assertOneLine(exit, "run: ", bootstrap, "no Kafka answer within 3 s", "advertised.listeners");
            assertTrue(exit.took().compareTo(TIMED_OUT_RUN) < 0, "took " + exit.took());
        }
    }

    @Test
    void aTakenHttpPortEndsRunBeforeTheBrokerStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Exit exit = streamcast("run", "--set", "http.port=" + taken.getLocalPort(),
                    "--set", "embedded.kafka.port=0", "--set", "embedded.kafka.dir=" + dir.resolve("kafka"),
                    "--set", "kafka.state.dir=" + dir.resolve("state"));
            assertOneLine(exit, "run: ", "127.0.0.1:" + taken.getLocalPort(), "http.port", "address in use");
            assertFalse(Files.exists(dir.resolve("kafka")), "the broker started");
            assertTrue(exit.took().compareTo(CHECKED_FIRST) < 0, "took " + exit.took());
        }
    }

    @Test
    void aTakenBrokerPortEndsRunAndBrokerBeforeTheirDataDirectoryIsCreated() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (String command : List.of("run", "broker")) {
                Exit exit = streamcast(command, "--set", "embedded.kafka.port=" + taken.getLocalPort(),
                        "--set", "embedded.kafka.dir=" + dir.resolve("kafka"), "--set", "http.port=0",
                        "--set", "kafka.state.dir=" + dir.resolve("state"));
                assertOneLine(exit, command + ": ", "127.0.0.1:" + taken.getLocalPort(), "address in use");
                assertFalse(Files.exists(dir.resolve("kafka")), command + ": the data directory was created");
                assertTrue(exit.took().compareTo(CHECKED_FIRST) < 0, command + " took " + exit.took());
            }
        }
    }

    @Test
    void aDataDirectoryInUseByAnotherBrokerEndsRunAndBroker() throws Exception {
        Path data = dir.resolve("kafka");
        try (EmbeddedKafkaBroker running = TestBrokers.startIn(data)) {
            for (String command : List.of("run", "broker")) {
                Exit exit = streamcast(command, "--set", "embedded.kafka.port=0", "--set", "embedded.kafka.dir=" + data,
                        "--set", "http.port=0", "--set", "kafka.state.dir=" + dir.resolve("state"));
                assertOneLine(exit, command + ": ", data.toString(), "in use by another process");
                assertTrue(exit.took().compareTo(CHECKED_FIRST) < 0, command + " took " + exit.took());
            }
        }
    }
}
