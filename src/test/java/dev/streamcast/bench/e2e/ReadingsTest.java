package dev.streamcast.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.model.SensorSeason;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ReadingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDailySensorReadsHourlyWithItsOwnTimestampAndRepeatsItsDay() throws Exception {
        Readings readings = Readings.daily(10);
        JsonNode first = JSON.readTree(readings.value(3));
        JsonNode nextHour = JSON.readTree(readings.value(13));
        JsonNode nextDay = JSON.readTree(readings.value(3 + 24 * 10));
        assertEquals("sensor-3", readings.sensorId(13));
        assertEquals(Readings.DAILY_START_MS, first.path("timestamp").asLong());
        assertEquals(Readings.DAILY_START_MS + Readings.HOUR_MS, nextHour.path("timestamp").asLong());
        // The day repeats up to the wobble (0.3 at most each way).
        assertEquals(first.path("value").asDouble(), nextDay.path("value").asDouble(), 0.61);
    }

    @Test
    void aDailySensorsSeasonIsFoundWithinItsShareOfTheBenchmarksReadings() throws Exception {
        Readings readings = Readings.daily(1);
        SensorSeason season = new SensorSeason(SensorSeason.DEFAULT_MAX_BINS);
        long lastTime = 0;
        double last = 0;
        for (long i = 0; i < ThroughputComparison.DAILY_READINGS_PER_SENSOR; i++) {
            JsonNode reading = JSON.readTree(readings.value(i));
            long time = reading.path("timestamp").asLong();
            double value = reading.path("value").asDouble();
            season.observe(i > 0, lastTime, last, time, value);
            lastTime = time;
            last = value;
        }
        assertTrue(season.hasSeason(), "the day is in use, so the drain measures the seasonal path");
    }

    @Test
    void aPlainSensorWritesABareNumber() {
        assertTrue(new Readings(2).value(5).matches("-?[0-9.]+"));
    }
}
