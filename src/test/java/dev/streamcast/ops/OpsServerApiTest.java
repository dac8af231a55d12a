package dev.streamcast.ops;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.service.StreamcastService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API, health and metrics of a real server (port 0) over a real service on a real broker, with an admin
 * token configured. Four sensors with eight readings each, one refused reading, and a first model (version 1)
 * published at start.
 */
@Tag("broker")
class OpsServerApiTest {

    static final String TOKEN = "ops-test-token-3b9f27";
    static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    static final List<String> SENSORS = List.of("hall 1/temp", "plant-a-1", "plant-a-2", "plant-b-1");

    @TempDir
    static Path directory;

    static OpsFixture fixture;
    static StreamcastService service;
    static OpsServer server;
    static HttpProbe http;

    @BeforeAll
    static void startServiceAndServerAndFeedReadings() throws Exception {
        fixture = new OpsFixture(directory);
        service = OpsFixture.startedService(fixture.config(Map.of("http.admin.token", TOKEN,
                "model.initial", fixture.initialModel().toString())));
        server = OpsServer.start(service);
        http = new HttpProbe(server.port());
        await("model version 1", Duration.ofSeconds(60)).until(() -> service.registry().get("default") != null);
        fixture.produce("plant-a-1", 0, 20.0, 20.5, 21.0, 21.5, 22.0, 22.5, 23.0, 23.5);
        fixture.produce("plant-a-2", 0, 10, 11, 12, 13, 14, 15, 16, 17);
        fixture.produce("plant-b-1", 0, 5, 5.5, 5, 5.5, 5, 5.5, 5, 5.5);
        fixture.produce("hall 1/temp", 0, 1, 2, 3, 4, 5, 6, 7, 8);
        fixture.produceRaw("plant-b-1", "{\"value\": \"warm\"}");
        fixture.flush();
        await("32 readings in the API", Duration.ofSeconds(60)).until(OpsServerApiTest::everyReadingIsQueryable);
    }

    private static boolean everyReadingIsQueryable() {
        HttpProbe.Answer answer = http.get("/api/sensors", AUTH);
        if (answer.status() != 200 || answer.json().get("total").asInt() != SENSORS.size()) {
            return false;
        }
        for (JsonNode sensor : answer.json().get("sensors")) {
            if (sensor.get("errors").get("readings").asInt() != 5) {
                return false;
            }
        }
        return service.metrics().refusedTotal() == 1;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (service != null) {
            service.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("sensors").forEach(s -> ids.add(s.get("id").asText()));
        return ids;
    }

    @Test
    void listsSensorsSortedByIdWithLatestValueForecastModelVersionAndRollingErrors() {
        HttpProbe.Answer answer = http.get("/api/sensors", AUTH);
        assertEquals(200, answer.status());
        assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.header("Content-Type"));
        JsonNode page = answer.json();
        assertEquals(4, page.get("total").asInt());
        assertEquals(SENSORS, ids(page));
        JsonNode sensor = page.get("sensors").get(1);
        assertEquals("plant-a-1", sensor.get("id").asText());
        assertEquals(23.5, sensor.get("lastValue").asDouble());
        assertEquals(Instant.ofEpochMilli(OpsFixture.T0 + 7 * 60_000L).toString(),
                sensor.get("lastTimestamp").asText());
        JsonNode forecast = sensor.get("forecast");
        assertTrue(forecast.get("value").isNumber());
        assertEquals("default", forecast.get("modelId").asText());
        assertEquals(1, forecast.get("modelVersion").asLong());
        assertEquals("lstm", forecast.get("forecaster").asText());
        JsonNode errors = sensor.get("errors");
        assertEquals(5, errors.get("readings").asInt());
        assertTrue(errors.get("model").get("rmse").asDouble() >= 0);
        assertTrue(errors.get("model").get("mae").asDouble() >= 0);
        // A ramp of +0.5 per reading: the naive forecast (the last value) is always 0.5 short.
        assertEquals(0.5, errors.get("naive").get("rmse").asDouble(), 1e-12);
        assertEquals(0.5, errors.get("naive").get("mae").asDouble(), 1e-12);
    }

    @Test
    void pagesThroughSensorsWithOffsetAndLimit() {
        JsonNode page = http.get("/api/sensors?offset=1&limit=2", AUTH).json();
        assertEquals(List.of("plant-a-1", "plant-a-2"), ids(page));
        assertEquals(4, page.get("total").asInt());
        assertEquals(1, page.get("offset").asInt());
        assertEquals(2, page.get("limit").asInt());
        assertEquals(List.of("plant-b-1"), ids(http.get("/api/sensors?offset=3&limit=2", AUTH).json()));
        assertEquals(List.of(), ids(http.get("/api/sensors?offset=10", AUTH).json()));
    }

    @Test
    void filtersSensorsByIdPrefix() {
        JsonNode page = http.get("/api/sensors?prefix=plant-a", AUTH).json();
        assertEquals(List.of("plant-a-1", "plant-a-2"), ids(page));
        assertEquals(2, page.get("total").asInt());
        assertEquals(List.of("hall 1/temp"), ids(http.get("/api/sensors?prefix=hall%201%2F", AUTH).json()));
        assertEquals(0, http.get("/api/sensors?prefix=zzz", AUTH).json().get("total").asInt());
    }

    @Test
    void refusesUnusablePagingParametersWithA400Message() {
        for (String query : List.of("limit=0", "limit=501", "limit=abc", "offset=-1")) {
            HttpProbe.Answer answer = http.get("/api/sensors?" + query, AUTH);
            assertEquals(400, answer.status(), query);
            assertTrue(answer.json().get("error").asText().matches("(limit|offset): expected .*"), answer.body());
        }
    }

    @Test
    void answersOneSensorWithItsRecentReadingsTheForecastMadeForEachAndTheErrors() {
        HttpProbe.Answer answer = http.get("/api/sensors/plant-a-2", AUTH);
        assertEquals(200, answer.status());
        JsonNode sensor = answer.json();
        assertEquals("plant-a-2", sensor.get("id").asText());
        assertEquals(17, sensor.get("lastValue").asDouble());
        JsonNode readings = sensor.get("readings");
        assertEquals(5, readings.size());
        JsonNode first = readings.get(0);
        assertEquals(Instant.ofEpochMilli(OpsFixture.T0 + 3 * 60_000L).toString(), first.get("timestamp").asText());
        assertEquals(13, first.get("actual").asDouble());
        assertEquals(12, first.get("naive").asDouble());
        assertEquals(1, first.get("naiveError").asDouble());
        assertEquals(first.get("actual").asDouble() - first.get("forecast").asDouble(), first.get("error").asDouble(),
                1e-9);
        assertEquals(1, first.get("modelVersion").asLong());
        assertEquals(17, readings.get(4).get("actual").asDouble());
        JsonNode window = sensor.get("window");
        assertEquals(3, window.size());
        assertEquals(15, window.get(0).get("value").asDouble());
        assertEquals(17, window.get(2).get("value").asDouble());
        assertEquals("lstm", sensor.get("forecast").get("forecaster").asText());
        assertEquals(1.0, sensor.get("errors").get("naive").get("rmse").asDouble(), 1e-12);
    }

    @Test
    void addressesSensorIdsWithSpacesAndSlashesWhenPercentEncoded() {
        HttpProbe.Answer answer = http.get("/api/sensors/hall%201%2Ftemp", AUTH);
        assertEquals(200, answer.status(), answer.body());
        assertEquals("hall 1/temp", answer.json().get("id").asText());
    }

    @Test
    void answersAnUnknownSensorWith404AndAJsonMessage() {
        HttpProbe.Answer answer = http.get("/api/sensors/no-such-sensor", AUTH);
        assertEquals(404, answer.status());
        assertTrue(answer.header("Content-Type").startsWith("application/json"));
        assertEquals("no sensor 'no-such-sensor'", answer.json().get("error").asText());
    }

    @Test
    void answersAnUnknownPathWith404AndAJsonMessage() {
        for (String path : List.of("/api/nothing", "/nothing-here", "/api/sensors/a/b/c")) {
            HttpProbe.Answer answer = http.get(path, AUTH);
            assertEquals(404, answer.status(), path);
            assertTrue(answer.json().get("error").asText().startsWith("no such endpoint"), answer.body());
        }
    }

    @Test
    void countsReadingsAcceptedRefusedByReasonForecastsAndOverallErrors() {
        JsonNode stats = http.get("/api/stats", AUTH).json();
        assertEquals(32, stats.get("accepted").asLong());
        assertEquals(1, stats.get("refusedTotal").asLong());
        assertEquals(1, stats.get("refused").get("not-a-number").asLong(), stats.toString());
        assertEquals(0, stats.get("refused").get("late").asLong());
        assertEquals(24, stats.get("forecasts").asLong());
        assertEquals(20, stats.get("errors").get("readings").asLong());
        assertTrue(stats.get("errors").get("naive").get("rmse").isNumber());
        // every scored forecast carried an interval; the anomalies are those the sensors' histories flag
        JsonNode coverage = stats.get("coverage");
        assertEquals(0.9, coverage.get("level").asDouble(), stats.toString());
        assertEquals(20, coverage.get("readings").asLong(), stats.toString());
        assertEquals(coverage.get("covered").asLong() / 20.0, coverage.get("coverage").asDouble(), 1e-12);
        int flagged = 0;
        for (String sensor : SENSORS) {
            String path = "/api/sensors/" + URLEncoder.encode(sensor, StandardCharsets.UTF_8).replace("+", "%20");
            for (JsonNode reading : http.get(path, AUTH).json().get("readings")) {
                flagged += reading.get("anomaly").asBoolean() ? 1 : 0;
            }
        }
        assertEquals(flagged, stats.get("anomalies").asLong(), stats.toString());
        assertEquals(1, stats.get("instances").asInt());
        assertEquals("RUNNING", stats.get("state").asText());
        assertNotNull(Instant.parse(stats.get("time").asText()));
    }

    @Test
    void listsModelsWithTheirVersionAndValidationAndRetrainsOneWhenAskedWithTheToken() throws Exception {
        JsonNode models = http.get("/api/models", AUTH).json();
        JsonNode model = models.get("models").get(0);
        assertEquals("default", model.get("modelId").asText());
        assertEquals(1, model.get("version").asLong());
        assertEquals("lstm", model.get("forecaster").asText());
        assertTrue(model.has("validationRmse") && model.has("championRmse") && model.has("runs"), model.toString());

        HttpProbe.Answer accepted = http.post("/api/models/default/retrain", AUTH);
        assertEquals(202, accepted.status(), accepted.body());
        assertEquals("default", accepted.json().get("modelId").asText());
        assertEquals("requested", accepted.json().get("status").asText());

        await("the requested training run", Duration.ofSeconds(60))
                .until(() -> http.get("/api/models", AUTH).json().get("models").get(0).get("runs").size() > 0);
        JsonNode run = http.get("/api/models", AUTH).json().get("models").get(0).get("runs").get(0);
        assertEquals("default", run.get("modelId").asText());
        assertTrue(List.of("accepted", "rejected").contains(run.get("outcome").asText()), run.toString());
        assertTrue(run.get("trainingSamples").asInt() > 0, run.toString());
        assertTrue(run.get("holdoutSamples").asInt() > 0, run.toString());
        assertEquals(1, run.get("championVersion").asLong());
        assertTrue(run.get("reason").asText().startsWith(run.get("outcome").asText()), run.toString());
        assertNotNull(Instant.parse(run.get("startedAt").asText()));
        JsonNode allRuns = http.get("/api/models/runs", AUTH).json().get("runs");
        assertEquals(run, allRuns.get(0));
    }

    @Test
    void answersARetrainOfAnUnknownModelWith404() {
        HttpProbe.Answer answer = http.post("/api/models/no-such-model/retrain", AUTH);
        assertEquals(404, answer.status());
        assertEquals("no model 'no-such-model'", answer.json().get("error").asText());
    }

    @Test
    void refusesARetrainWithoutTheTokenOrWithAWrongOneWith401() {
        for (String[] headers : List.of(new String[0], new String[] {"Authorization", "Bearer wrong"},
                new String[] {"Authorization", "Bearer " + TOKEN + "x"},
                new String[] {"Authorization", "Basic " + TOKEN})) {
            HttpProbe.Answer answer = http.post("/api/models/default/retrain", headers);
            assertEquals(401, answer.status(), List.of(headers).toString());
            assertEquals("Bearer realm=\"streamcast\"", answer.header("WWW-Authenticate"));
            assertTrue(answer.json().get("error").asText().contains("token"), answer.body());
        }
    }

    @Test
    void requiresTheTokenOnEveryEndpointButHealthAndTheDashboardFiles() {
        for (String path : List.of("/api/sensors", "/api/sensors/plant-a-1", "/api/models", "/api/models/runs",
                "/api/stats", "/ready", "/metrics", "/api/nothing")) {
            HttpProbe.Answer answer = http.get(path);
            assertEquals(401, answer.status(), path);
            assertTrue(answer.json().has("error"), path);
        }
        assertEquals(200, http.get("/health").status());
        assertEquals(200, http.get("/").status());
        assertEquals(200, http.get("/assets/dashboard.js").status());
        assertEquals(200, http.get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").status());
    }

    @Test
    void doesNotOpenTheApiToAPathThatClimbsOutOfTheDashboardFiles() {
        for (String path : List.of("/assets/../api/sensors", "/assets/%2e%2e/api/sensors", "/webjars/..%2Fapi/sensors",
                "//api/sensors")) {
            String answer = http.raw("GET " + path + " HTTP/1.1");
            assertFalse(answer.startsWith("HTTP/1.1 200"), path + " -> " + answer);
            assertFalse(answer.contains("plant-a-1"), path + " -> " + answer);
        }
    }

    @Test
    void reportsHealthWithoutAToken() {
        HttpProbe.Answer answer = http.get("/health");
        assertEquals(200, answer.status());
        assertEquals("UP", answer.json().get("status").asText());
        assertEquals("RUNNING", answer.json().get("state").asText());
    }

    @Test
    void reportsReadyWhileKafkaStreamsRuns() {
        HttpProbe.Answer answer = http.get("/ready", AUTH);
        assertEquals(200, answer.status());
        assertEquals("READY", answer.json().get("status").asText());
    }

    @Test
    void exposesStreamcastKafkaStreamsAndJvmMetricsWithoutAnyPerSensorLabel() {
        HttpProbe.Answer answer = http.get("/metrics", AUTH);
        assertEquals(200, answer.status());
        assertTrue(answer.header("Content-Type").startsWith("text/plain"), answer.header("Content-Type"));
        String text = answer.body();
        for (String expected : List.of(
                "streamcast_readings_accepted_total 32.0",
                "streamcast_readings_refused_total{reason=\"not-a-number\"} 1.0",
                "streamcast_readings_refused_total{reason=\"late\"} 0.0",
                "streamcast_readings_duplicates_total 0.0",
                "streamcast_forecasts_total 24.0",
                "streamcast_forecasts_naive_total",
                "streamcast_forecasts_scored_total 20.0",
                "streamcast_anomalies_total " + service.metrics().anomalies() + ".0",
                "streamcast_intervals_scored_total 20.0",
                "streamcast_intervals_covered_total " + service.metrics().intervalsCovered() + ".0",
                "streamcast_model_version{model_id=\"default\"}",
                "streamcast_models 1.0",
                "streamcast_training_runs_total{outcome=\"accepted\"}",
                "streamcast_training_runs_total{outcome=\"rejected\"}",
                "streamcast_training_duration_seconds_count{outcome=\"accepted\"}",
                "streamcast_forecast_rmse{forecaster=\"model\"}",
                "streamcast_forecast_rmse{forecaster=\"naive\"}",
                "streamcast_forecast_mae{forecaster=\"naive\"}",
                "streamcast_streams_running 1.0",
                "kafka_stream_thread_",
                "jvm_memory_used_bytes",
                "jvm_gc_",
                "jvm_threads_live_threads",
                "process_cpu_usage",
                "system_cpu_count")) {
            assertTrue(text.contains(expected), "missing " + expected);
        }
        for (String sensor : SENSORS) {
            assertFalse(text.contains(sensor), "a per-sensor series for " + sensor);
        }
        assertFalse(text.contains("sensor_id") || text.contains("sensor="), "a per-sensor label");
    }

    @Test
    void answersErrorsAsJsonWithAMessageAndNeverAStackTrace() {
        List<HttpProbe.Answer> errors = List.of(http.get("/api/sensors?limit=abc", AUTH),
                http.get("/api/sensors/" + "x".repeat(300), AUTH), http.get("/api/nothing", AUTH),
                http.post("/api/models/default/retrain"), http.send("DELETE", "/api/sensors/plant-a-1", AUTH));
        for (HttpProbe.Answer answer : errors) {
            assertTrue(answer.status() >= 400, answer.body());
            assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.body());
            assertTrue(answer.json().get("error").isTextual(), answer.body());
            assertFalse(answer.body().contains("Exception") || answer.body().contains("\tat ")
                    || answer.body().contains(".java:"), answer.body());
        }
        // Refused by Jetty before Javalin sees it: the same JSON shape.
        String raw = http.raw("GET /api/%zz HTTP/1.1");
        assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
        assertTrue(raw.contains("{\"error\":"), raw);
        assertFalse(raw.contains("Exception") || raw.contains("<html"), raw);
    }

    @Test
    void sendsNoCorsHeadersEvenToCrossOriginRequests() {
        HttpProbe.Answer get = http.get("/api/sensors", "Origin", "https://elsewhere.example", AUTH[0], AUTH[1]);
        assertEquals(200, get.status());
        HttpProbe.Answer preflight = http.send("OPTIONS", "/api/models/default/retrain", "Origin",
                "https://elsewhere.example", "Access-Control-Request-Method", "POST");
        for (HttpProbe.Answer answer : List.of(get, preflight)) {
            answer.response().headers().map().keySet().forEach(name ->
                    assertFalse(name.toLowerCase().startsWith("access-control-"), name));
        }
    }

    @Test
    void servesTheDashboardAndItsChartLibraryFromTheJar() {
        HttpProbe.Answer page = http.get("/");
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.body().contains("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js"));
        assertFalse(page.body().contains("https://"), "nothing loaded from the internet");
        assertNotNull(page.header("Content-Security-Policy"));
        HttpProbe.Answer uplot = http.get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
        assertEquals(200, uplot.status());
        assertTrue(uplot.body().contains("uPlot"));
        assertEquals(200, http.get("/webjars/uplot/1.6.30/dist/uPlot.min.css").status());
        assertEquals(200, http.get("/assets/dashboard.css").status());
        assertNull(page.header("Server"), "no server version advertised");
    }
}
