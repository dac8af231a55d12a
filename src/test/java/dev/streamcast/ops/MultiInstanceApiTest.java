package dev.streamcast.ops;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.service.StreamcastService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one application, each advertising its HTTP address as application.server, share the
 * partitions: whichever instance is asked, the API answers the same, forwarding to the instance that holds the
 * data.
 */
@Tag("broker")
class MultiInstanceApiTest {

    static final String TOKEN = "multi-instance-token-51aa";
    static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    static final int SENSORS = 16;

    @TempDir
    static Path directory;

    static OpsFixture fixture;
    static final List<StreamcastService> services = new ArrayList<>();
    static final List<OpsServer> servers = new ArrayList<>();
    static HttpProbe first;
    static HttpProbe second;

    @BeforeAll
    static void startTwoInstancesAndFeedReadings() throws Exception {
        fixture = new OpsFixture(directory);
        String applicationId = "ops-multi-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            int port = freePort();
            StreamcastService service = OpsFixture.startedService(fixture.config(Map.of(
                    "kafka.application.id", applicationId,
                    "kafka.state.dir", directory.resolve("state-" + i).toString(),
                    "kafka.application.server", "127.0.0.1:" + port,
                    "topics.partitions", "4",
                    "http.port", Integer.toString(port),
                    "http.admin.token", TOKEN)));
            services.add(service);
            servers.add(OpsServer.start(service));
        }
        first = new HttpProbe(servers.get(0).port());
        second = new HttpProbe(servers.get(1).port());
        for (int s = 0; s < SENSORS; s++) {
            fixture.produce(String.format("sensor-%02d", s), 0, s, s + 1, s + 2, s + 4, s + 5, s + 7);
        }
        fixture.flush();
        await("every sensor's three scored readings from both instances", Duration.ofSeconds(90))
                .until(() -> answersEveryScoredReading(first) && answersEveryScoredReading(second));
    }

    private static boolean answersEveryScoredReading(HttpProbe http) {
        HttpProbe.Answer answer = http.get("/api/sensors?limit=100", AUTH);
        if (answer.status() != 200 || answer.json().get("total").asInt() != SENSORS
                || !answer.json().get("unreachable").isEmpty()) {
            return false;
        }
        for (JsonNode sensor : answer.json().get("sensors")) {
            if (sensor.get("errors").get("readings").asInt() != 3) {
                return false;
            }
        }
        return true;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @AfterAll
    static void stop() {
        servers.forEach(OpsServer::close);
        services.forEach(StreamcastService::close);
        fixture.close();
    }

    @Test
    void spreadsTheSensorsOverBothInstances() {
        int own = first.get("/api/sensors?scope=local&limit=100", AUTH).json().get("total").asInt();
        int other = second.get("/api/sensors?scope=local&limit=100", AUTH).json().get("total").asInt();
        assertEquals(SENSORS, own + other);
        assertTrue(own > 0 && other > 0, "each instance holds some sensors: " + own + " and " + other);
    }

    @Test
    void listsTheSamePagesOfSensorsFromEitherInstance() {
        for (String query : List.of("", "?limit=5", "?offset=5&limit=5", "?prefix=sensor-1")) {
            JsonNode a = first.get("/api/sensors" + query, AUTH).json();
            JsonNode b = second.get("/api/sensors" + query, AUTH).json();
            assertEquals(a, b, query);
        }
        JsonNode page = first.get("/api/sensors?offset=5&limit=5", AUTH).json();
        assertEquals("sensor-05", page.get("sensors").get(0).get("id").asText());
        assertEquals(5, page.get("sensors").size());
        assertEquals(6, first.get("/api/sensors?prefix=sensor-1", AUTH).json().get("total").asInt());
    }

    @Test
    void answersEverySensorFromEitherInstance() {
        for (int s = 0; s < SENSORS; s++) {
            String path = String.format("/api/sensors/sensor-%02d", s);
            HttpProbe.Answer a = first.get(path, AUTH);
            HttpProbe.Answer b = second.get(path, AUTH);
            assertEquals(200, a.status(), path + " " + a.body());
            assertEquals(200, b.status(), path + " " + b.body());
            assertEquals(a.json(), b.json(), path);
            assertEquals(s + 7, a.json().get("lastValue").asDouble());
        }
        assertEquals(404, first.get("/api/sensors/unknown", AUTH).status());
        assertEquals(404, second.get("/api/sensors/unknown", AUTH).status());
    }

    @Test
    void sumsTheCountersOfBothInstances() {
        JsonNode stats = second.get("/api/stats", AUTH).json();
        assertEquals(2, stats.get("instances").asInt());
        assertEquals(SENSORS * 6, stats.get("accepted").asLong());
        assertEquals(SENSORS * 4, stats.get("forecasts").asLong());
        assertEquals(SENSORS * 3, stats.get("errors").get("readings").asLong());
        assertEquals(stats.get("accepted"), first.get("/api/stats", AUTH).json().get("accepted"));
    }

    @Test
    void sendsARetrainToTheInstanceHoldingTheModelsSamplesAndShowsItsRunFromEither() throws Exception {
        HttpProbe.Answer a = first.post("/api/models/default/retrain", AUTH);
        HttpProbe.Answer b = second.post("/api/models/default/retrain", AUTH);
        assertEquals(202, a.status(), a.body());
        assertEquals(202, b.status(), b.body());
        assertEquals(a.json().get("instance"), b.json().get("instance"), "both answered by the same instance");
        await("the training run seen from both instances", Duration.ofSeconds(60))
                .until(() -> !first.get("/api/models/runs", AUTH).json().get("runs").isEmpty()
                        && !second.get("/api/models/runs", AUTH).json().get("runs").isEmpty());
        assertEquals(first.get("/api/models/runs", AUTH).json().get("runs").get(0),
                second.get("/api/models/runs", AUTH).json().get("runs").get(0));
        JsonNode model = second.get("/api/models", AUTH).json().get("models").get(0);
        assertEquals("default", model.get("modelId").asText());
        assertTrue(model.get("runs").size() >= 1, model.toString());
    }
}
