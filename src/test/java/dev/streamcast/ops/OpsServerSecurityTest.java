package dev.streamcast.ops;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.streamcast.config.ConfigException;
import dev.streamcast.service.StreamcastService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Who may start the server where, who may call what, and what never leaks: against real servers. */
@Tag("broker")
class OpsServerSecurityTest {

    static final String TOKEN = "security-test-token-9d41c0";

    @TempDir
    static Path directory;

    static OpsFixture fixture;

    @BeforeAll
    static void startBroker() {
        fixture = new OpsFixture(directory);
    }

    @AfterAll
    static void stopBroker() {
        fixture.close();
    }

    /** A service that is configured but not started: enough for everything that does not query the stream. */
    private static StreamcastService idleService(Map<String, String> overrides) {
        return new StreamcastService(fixture.config(overrides));
    }

    @Test
    void refusesToStartOnANonLoopbackAddressWithoutAnAdminToken() {
        for (String bind : List.of("0.0.0.0", "::")) {
            try (StreamcastService service = idleService(Map.of("http.bind", bind))) {
                ConfigException e = assertThrows(ConfigException.class, () -> OpsServer.start(service));
                assertTrue(e.getMessage().contains("http.bind=" + bind + " is not a loopback address"), e.getMessage());
                assertTrue(e.getMessage().contains("http.admin.token"), e.getMessage());
            }
        }
    }

    @Test
    void startsOnANonLoopbackAddressWithATokenAndThenRequiresItEverywhereButHealth() {
        try (StreamcastService service = idleService(Map.of("http.bind", "0.0.0.0", "http.admin.token", TOKEN));
             OpsServer server = OpsServer.start(service)) {
            HttpProbe http = new HttpProbe(server.port());
            assertEquals(401, http.get("/api/stats").status());
            assertEquals(200, http.get("/api/stats", "Authorization", "Bearer " + TOKEN).status());
            assertEquals(200, http.get("/health").status());
        }
    }

    @Test
    void startsOnLoopbackWithoutATokenServingReadsButRefusingChangesWith403() {
        try (StreamcastService service = idleService(Map.of()); OpsServer server = OpsServer.start(service)) {
            HttpProbe http = new HttpProbe(server.port());
            HttpProbe.Answer retrain = http.post("/api/models/default/retrain");
            assertEquals(403, retrain.status());
            assertEquals("changes through the API are disabled: no http.admin.token is configured",
                    retrain.json().get("error").asText());
            assertEquals(403, http.post("/api/models/default/retrain", "Authorization", "Bearer anything").status());
            assertEquals(200, http.get("/api/stats").status());
            assertEquals(200, http.get("/api/models").status());
            HttpProbe.Answer sensors = http.get("/api/sensors");
            assertEquals(503, sensors.status(), "no stream to query yet");
            assertEquals("Kafka Streams is not started", sensors.json().get("error").asText());
        }
    }

    @Test
    void answersWithoutATokenOnlyRequestsAddressedToThisMachineAgainstDnsRebinding() {
        try (StreamcastService service = idleService(Map.of()); OpsServer server = OpsServer.start(service)) {
            HttpProbe http = new HttpProbe(server.port());
            String port = ":" + server.port();
            for (String host : List.of("127.0.0.1" + port, "localhost" + port, "[::1]" + port, "localhost")) {
                assertTrue(http.raw("GET /api/stats HTTP/1.1", host).startsWith("HTTP/1.1 200"), host);
            }
            for (String host : List.of("rebind.attacker.example" + port, "192.0.2.7" + port,
                    "localhost.attacker.example")) {
                String answer = http.raw("GET /api/stats HTTP/1.1", host);
                assertTrue(answer.startsWith("HTTP/1.1 403"), host + " -> " + answer);
                assertTrue(answer.contains("only requests for localhost are answered"), answer);
            }
            assertTrue(http.raw("GET /health HTTP/1.1", "rebind.attacker.example").startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void answersReadyWith503UntilKafkaStreamsRunsThen200() throws Exception {
        try (StreamcastService service = idleService(Map.of()); OpsServer server = OpsServer.start(service)) {
            HttpProbe http = new HttpProbe(server.port());
            HttpProbe.Answer before = http.get("/ready");
            assertEquals(503, before.status());
            assertEquals("NOT_READY", before.json().get("status").asText());
            assertEquals("NOT_STARTED", before.json().get("state").asText());
            assertEquals(200, http.get("/health").status(), "alive while not ready");

            service.start();
            await("/ready answering 200", Duration.ofSeconds(60)).until(() -> http.get("/ready").status() == 200);
            assertEquals("RUNNING", http.get("/ready").json().get("state").asText());
            assertTrue(http.get("/metrics").body().contains("kafka_stream_alive_stream_threads"),
                    "Kafka Streams metrics bound once the service started after the server");
        }
    }

    @Test
    void reportsATakenPortAsAStartupErrorNamingTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             StreamcastService service = idleService(Map.of("http.port", Integer.toString(taken.getLocalPort())))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> OpsServer.start(service));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void neverShowsTheAdminTokenInAnswersOrLogs() {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.streamcast");
        Logger javalin = (Logger) LoggerFactory.getLogger("io.javalin");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Level before = logger.getLevel();
        Level javalinBefore = javalin.getLevel();
        logger.addAppender(captured);
        javalin.addAppender(captured);
        logger.setLevel(Level.DEBUG);
        javalin.setLevel(Level.DEBUG);
        List<String> answers = new ArrayList<>();
        try (StreamcastService service = idleService(Map.of("http.admin.token", TOKEN,
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"u\" password=\"jaas-secret-77\";"));
             OpsServer server = OpsServer.start(service)) {
            HttpProbe http = new HttpProbe(server.port());
            String[] auth = {"Authorization", "Bearer " + TOKEN};
            for (String path : List.of("/health", "/ready", "/api/stats", "/api/models", "/api/models/runs",
                    "/api/sensors",
                    "/api/sensors/x", "/metrics", "/api/nothing")) {
                answers.add(http.get(path, auth).body());
                answers.add(http.get(path, "Authorization", "Bearer " + TOKEN.substring(1)).body());
            }
            answers.add(http.post("/api/models/default/retrain", auth).body());
            answers.add(http.raw("GET /api/%zz HTTP/1.1"));
        } finally {
            logger.detachAppender(captured);
            javalin.detachAppender(captured);
            logger.setLevel(before);
            javalin.setLevel(javalinBefore);
        }
        assertFalse(captured.list.isEmpty(), "the server logged something");
        for (String secret : List.of(TOKEN, "jaas-secret-77")) {
            for (String answer : answers) {
                assertFalse(answer.contains(secret), answer);
            }
            for (ILoggingEvent event : captured.list) {
                String line = event.getFormattedMessage()
                        + (event.getThrowableProxy() == null ? ""
                                : ThrowableProxyUtil.asString(event.getThrowableProxy()));
                assertFalse(line.contains(secret), line);
            }
        }
    }

    @Test
    void comparesTokensExactly() {
        AdminToken token = AdminToken.of(TOKEN);
        assertTrue(token.matches(TOKEN));
        assertFalse(token.matches(TOKEN + " "));
        assertFalse(token.matches(TOKEN.toUpperCase()));
        assertFalse(token.matches(""));
        assertFalse(token.matches(null));
        assertFalse(token.toString().contains(TOKEN));
        assertEquals(null, AdminToken.of(""), "an empty http.admin.token is no token");
    }

    @Test
    void treatsOnlyLoopbackAddressesAsLoopback() {
        assertTrue(HttpSettings.isLoopback("127.0.0.1"));
        assertTrue(HttpSettings.isLoopback("localhost"));
        assertTrue(HttpSettings.isLoopback("::1"));
        assertTrue(HttpSettings.isLoopback("[::1]"));
        assertFalse(HttpSettings.isLoopback("0.0.0.0"));
        assertFalse(HttpSettings.isLoopback("::"));
        assertFalse(HttpSettings.isLoopback("192.0.2.10"));
    }

}
