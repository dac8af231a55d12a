package dev.streamcast.ops;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /api/sensors/{id} of a real server (port 0) over a real service on a real broker with forecast.horizon=4:
 * the next forecast's horizon, the readings' intervals, and a spike among the recent anomalies.
 */
@Tag("broker")
class HorizonApiTest {

    static final int HORIZON = 4;
    static final String SENSOR = "line-3";
    /** Twelve readings a minute apart moving by about half a unit, then one 100 units off. */
    static final double[] VALUES = {20.0, 20.4, 20.9, 21.1, 20.8, 20.5, 20.7, 21.2, 21.6, 21.3, 21.0, 21.4, 121.4};
    /** A sensor reporting half degrees, long enough for its resolution to be trusted (50 readings). */
    static final String HALF_DEGREES = "half-degrees";
    static final double[] HALVES = new double[60];

    static {
        for (int k = 0; k < HALVES.length; k++) {
            HALVES[k] = 18 + 0.5 * ((k * 7) % 9);
        }
    }

    @TempDir
    static Path directory;

    static OpsFixture fixture;
    static OpsFixture.Served served;
    static HttpProbe http;

    @BeforeAll
    static void startServiceAndServerAndFeedReadings() throws Exception {
        fixture = new OpsFixture(directory);
        served = fixture.serve(Map.of("forecast.horizon", Integer.toString(HORIZON)));
        http = served.http();
        fixture.produce(SENSOR, 0, VALUES);
        fixture.produce(HALF_DEGREES, 0, HALVES);
        fixture.flush();
        // The window holds 3 readings: every reading from the fourth on is scored.
        await("the spike scored", Duration.ofSeconds(60)).until(() -> {
            HttpProbe.Answer answer = http.get("/api/sensors/" + SENSOR);
            return answer.status() == 200 && answer.json().get("errors").get("readings").asInt() == VALUES.length - 3;
        });
        await("every half-degree reading processed", Duration.ofSeconds(60)).until(() -> {
            HttpProbe.Answer answer = http.get("/api/sensors/" + HALF_DEGREES);
            // The last reading sent is the sensor's last: every one of them is in its state.
            String lastSent = Instant.ofEpochMilli(OpsFixture.T0 + (HALVES.length - 1) * 60_000L).toString();
            return answer.status() == 200 && answer.json().get("lastTimestamp").asText().equals(lastSent);
        });
    }

    @AfterAll
    static void stop() {
        if (served != null) {
            served.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theNextForecastCarriesItsHorizonStepOneBeingTheForecastLaterStepsLaterAndWider() {
        JsonNode sensor = http.get("/api/sensors/" + SENSOR).json();
        JsonNode forecast = sensor.get("forecast");
        JsonNode horizon = forecast.get("horizon");
        assertEquals(HORIZON, horizon.size(), forecast.toString());
        JsonNode first = horizon.get(0);
        assertEquals(forecast.get("value").asDouble(), first.get("forecast").asDouble());
        assertEquals(forecast.get("lower").asDouble(), first.get("lower").asDouble());
        assertEquals(forecast.get("upper").asDouble(), first.get("upper").asDouble());
        Instant last = Instant.parse(sensor.get("lastTimestamp").asText());
        Instant previous = last;
        double previousWidth = 0;
        for (int h = 1; h <= HORIZON; h++) {
            JsonNode step = horizon.get(h - 1);
            assertEquals(h, step.get("step").asInt());
            Instant at = Instant.parse(step.get("timestamp").asText());
            assertTrue(at.isAfter(previous), "step " + h + " at " + at + ", after " + previous);
            assertEquals(last.plusSeconds(60L * h), at, "readings a minute apart: a minute per step");
            double lower = step.get("lower").asDouble();
            double upper = step.get("upper").asDouble();
            assertTrue(lower <= step.get("forecast").asDouble() && step.get("forecast").asDouble() <= upper,
                    step.toString());
            assertTrue(upper - lower >= previousWidth, "step " + h
                    + "'s interval is at least as wide as the one before");
            previous = at;
            previousWidth = upper - lower;
        }
    }

    @Test
    void theSensorListLeavesTheHorizonOut() {
        JsonNode forecast = http.get("/api/sensors").json().get("sensors").get(0).get("forecast");
        assertTrue(forecast.get("value").isNumber(), forecast.toString());
        assertFalse(forecast.has("horizon"), forecast.toString());
    }

    @Test
    void everyScoredReadingHasItsIntervalAndTheSpikeIsAmongTheAnomalies() {
        JsonNode sensor = http.get("/api/sensors/" + SENSOR).json();
        for (JsonNode reading : sensor.get("readings")) {
            assertTrue(reading.get("lower").asDouble() < reading.get("upper").asDouble(), reading.toString());
            assertTrue(reading.get("anomalyScore").isNumber(), reading.toString());
        }
        assertTrue(sensor.get("coverage").isNumber(), sensor.toString());
        JsonNode anomalies = sensor.get("anomalies");
        JsonNode spike = anomalies.get(anomalies.size() - 1);
        assertEquals(VALUES[VALUES.length - 1], spike.get("actual").asDouble(), anomalies.toString());
        assertTrue(spike.get("anomaly").asBoolean());
        assertTrue(spike.get("actual").asDouble() > spike.get("upper").asDouble());
    }

    @Test
    void aSensorsResolutionIsShownOnceItsReadingsHaveShownItAndItsBoundsLieOnIt() {
        assertTrue(http.get("/api/sensors/" + SENSOR).json().get("resolution").isNull(), "13 readings: too few yet");
        JsonNode sensor = http.get("/api/sensors/" + HALF_DEGREES).json();
        assertEquals(0.5, sensor.get("resolution").asDouble(), sensor.toString());
        JsonNode forecast = sensor.get("forecast");
        for (String bound : new String[] {"lower", "upper"}) {
            double value = forecast.get(bound).asDouble();
            assertEquals(Math.rint(value * 2) / 2, value, bound + " on the half-degree grid: " + forecast);
        }
    }
}
