package dev.streamcast.ops;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.config.ConfigException;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.service.StreamcastService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two instances serving the API over HTTPS only, one from a PKCS12 key store and one from a PEM file, trusting each
 * other's certificate through http.tls.truststore: a real TLS client gets every sensor from either instance (the
 * one that does not hold a sensor asks the other over HTTPS), and nothing is served in clear text.
 */
@Tag("broker")
class HttpsApiTest {

    static final String TOKEN = "https-test-token-77c1";
    static final int SENSORS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;
    static OpsFixture fixture;
    static TestCertificates certificates;
    static final List<StreamcastService> services = new ArrayList<>();
    static final List<OpsServer> servers = new ArrayList<>();
    static HttpClient tlsClient;

    @BeforeAll
    static void startTwoHttpsInstances() throws Exception {
        fixture = new OpsFixture(directory);
        certificates = TestCertificates.create(directory.resolve("certs"), "store-Pass-9");
        tlsClient = HttpClient.newBuilder().sslContext(certificates.clientContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        String applicationId = "ops-https-" + UUID.randomUUID();
        List<Map<String, String>> keyStores = List.of(
                Map.of("http.tls.keystore", certificates.pkcs12().toString(), "http.tls.password",
                        certificates.password()),
                Map.of("http.tls.keystore", certificates.pemKeyStore().toString()));
        for (int i = 0; i < 2; i++) {
            int port = freePort();
            Map<String, String> settings = new java.util.HashMap<>(Map.of(
                    "kafka.application.id", applicationId,
                    "kafka.state.dir", directory.resolve("state-" + i).toString(),
                    "kafka.application.server", "127.0.0.1:" + port,
                    "topics.partitions", "4",
                    "http.port", Integer.toString(port),
                    "http.admin.token", TOKEN,
                    "http.tls.truststore", certificates.pemCertificate().toString()));
            settings.putAll(keyStores.get(i));
            StreamcastService service = OpsFixture.startedService(fixture.config(settings));
            services.add(service);
            servers.add(OpsServer.start(service));
        }
        for (int s = 0; s < SENSORS; s++) {
            fixture.produce(String.format("sensor-%02d", s), 0, s, s + 1, s + 2, s + 4);
        }
        fixture.flush();
        await("every sensor from both instances", Duration.ofSeconds(90)).until(() -> bothAnswerEverySensor());
    }

    @AfterAll
    static void stop() {
        servers.forEach(OpsServer::close);
        services.forEach(StreamcastService::close);
        fixture.close();
    }

    private static boolean bothAnswerEverySensor() {
        try {
            for (OpsServer server : servers) {
                JsonNode list = JSON.readTree(get(server, "/api/sensors?limit=100").body());
                if (list.path("total").asInt() != SENSORS || !list.path("unreachable").isEmpty()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> get(OpsServer server, String path) {
        try {
            return tlsClient.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                    .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void servesEverySensorOverHttpsFromEitherInstanceForwardingOverHttps() throws Exception {
        assertEquals("https", servers.get(0).scheme());
        int own = JSON.readTree(get(servers.get(0), "/api/sensors?scope=local&limit=100").body()).get("total").asInt();
        assertTrue(own > 0 && own < SENSORS, "each instance holds some sensors, the first " + own);
        for (int s = 0; s < SENSORS; s++) {
            String path = String.format("/api/sensors/sensor-%02d", s);
            HttpResponse<String> a = get(servers.get(0), path);
            HttpResponse<String> b = get(servers.get(1), path);
            assertEquals(200, a.statusCode(), path + " " + a.body());
            assertEquals(200, b.statusCode(), path + " " + b.body());
            assertEquals(JSON.readTree(a.body()), JSON.readTree(b.body()), path);
        }
        assertEquals(200, get(servers.get(1), "/health").statusCode());
    }

    @Test
    void answersNothingInClearText() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", servers.get(0).port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/sensors HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer;
            try {
                answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                answer = "";
            }
            assertFalse(answer.contains("sensor-0"), answer);
            assertFalse(answer.startsWith("HTTP/1.1 200"), answer);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        HttpClient defaultTrust = HttpClient.newHttpClient();
        IOException e = assertThrows(IOException.class, () -> defaultTrust.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + servers.get(0).port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertTrue(e instanceof SSLHandshakeException || e.getCause() instanceof SSLHandshakeException, e.toString());
    }

    @Test
    void aWrongKeyStorePasswordIsOneLineNamingTheKey() {
        StreamcastConfig config = fixture.config(Map.of("http.tls.keystore", certificates.pkcs12().toString(),
                "http.tls.password", "wrong-password"));
        ConfigException e = assertThrows(ConfigException.class, () -> HttpSettings.from(config));
        assertTrue(e.getMessage().startsWith("http.tls.keystore: "), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-password"), e.getMessage());
    }

    @Test
    void warnsOnceWhenBindingBeyondLoopbackWithoutTls() {
        Logger log = (Logger) LoggerFactory.getLogger(OpsServer.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        StreamcastService unstarted = new StreamcastService(fixture.config(Map.of("http.bind", "0.0.0.0",
                "http.admin.token", TOKEN)));
        try (OpsServer open = OpsServer.start(unstarted)) {
            assertEquals("http", open.scheme());
        } finally {
            log.detachAppender(appender);
            unstarted.close();
        }
        long warnings = appender.list.stream().filter(e -> e.getFormattedMessage().contains("clear text")).count();
        assertEquals(1, warnings, appender.list.toString());
        assertFalse(appender.list.toString().contains(TOKEN));
        // On loopback, or with TLS, no such warning: the servers above are both.
    }
}
