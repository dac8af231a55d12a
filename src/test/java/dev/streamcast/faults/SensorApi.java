package dev.streamcast.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ops HTTP API of one instance, as the fault suite asks it: whether it is there at all, and whether it answers
 * for every sensor with the sensor's last reading and window.
 */
final class SensorApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    SensorApi(int port) {
        this.port = port;
    }

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** GET {@code path} with the admin token; status -1 when nothing listens on the port. */
    Answer get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + FaultCluster.ADMIN_TOKEN).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (ConnectException e) {
            return new Answer(-1, e.toString());
        } catch (IOException e) {
            return new Answer(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Whether the ops API is served at all: /health answers something else than 404 (and something listens). */
    boolean present() {
        int status = get("/health").status();
        int sensors = get("/api/sensors?limit=1").status();
        return status > 0 && status != 404 && sensors != 404 && sensors > 0;
    }

    /**
     * Asks for every sensor and compares with what it should hold; returns the problems (empty: it answers for
     * every sensor).
     *
     * @param expected per sensor id, its last values, oldest first (the window's length or fewer)
     */
    List<String> checkEverySensor(Map<String, double[]> expected) {
        List<String> problems = new ArrayList<>();
        Answer page = get("/api/sensors?limit=1");
        if (page.status() != 200) {
            problems.add("GET /api/sensors answered " + page.status() + ": " + page.body());
        } else {
            JsonNode json = page.json();
            if (json.path("total").asLong() != expected.size()) {
                problems.add("GET /api/sensors: total " + json.path("total") + ", expected " + expected.size());
            }
            if (json.path("unreachable").size() > 0) {
                problems.add("GET /api/sensors: unreachable instances " + json.path("unreachable"));
            }
        }
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            Answer a = get("/api/sensors/" + URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8));
            if (a.status() != 200) {
                problems.add(e.getKey() + ": " + a.status() + " " + abbreviate(a.body()));
                continue;
            }
            JsonNode sensor = a.json();
            double[] values = e.getValue();
            double last = values[values.length - 1];
            if (sensor.path("lastValue").asDouble(Double.NaN) != last) {
                problems.add(e.getKey() + ": lastValue " + sensor.path("lastValue") + ", expected " + last);
            }
            JsonNode window = sensor.path("window");
            if (window.size() != values.length) {
                problems.add(e.getKey() + ": window of " + window.size() + " readings, expected " + values.length);
            } else {
                for (int k = 0; k < values.length; k++) {
                    if (window.get(k).path("value").asDouble(Double.NaN) != values[k]) {
                        problems.add(e.getKey() + ": window " + window + ", expected values "
                                + java.util.Arrays.toString(values));
                        break;
                    }
                }
            }
        }
        return problems;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
