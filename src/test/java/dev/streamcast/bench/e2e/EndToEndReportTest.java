package dev.streamcast.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class EndToEndReportTest {

    private static final EndToEndResult.Latency AT_LEAST_ONCE = new EndToEndResult.Latency(
            EndToEndResult.AT_LEAST_ONCE, 5_000, 300_000, 12, 40, 80, 310_000, 14, 70, 120, 12, 50_000, 0, 3);
    private static final EndToEndResult.Latency EXACTLY_ONCE = new EndToEndResult.Latency(
            EndToEndResult.EXACTLY_ONCE_V2, 5_000, 300_000, 60, 150, 200, 310_000, 65, 180, 230, 12, 50_000, 0, 3);
    private static final EndToEndResult RESULT = new EndToEndResult(EndToEndSettings.fullLoad(),
            EndToEndResult.EXACTLY_ONCE_V2, 200_000, 160_000, 60_000, 150_000, 5, 8, 25, 4.5, 2.1, 480,
            new EndToEndResult.Pace(20_000, 50_000, 30, 6_000, 0.93, 40, 12),
            new EndToEndResult.Seasonal(1_000, 45_000, 24.5, 1_000),
            List.of(AT_LEAST_ONCE, EXACTLY_ONCE),
            Map.of("passthrough", 0.01));

    @Test
    void jsonCarriesTheFiveFiguresOfTheDefaultGuaranteeAndEveryGuaranteeBelow() throws Exception {
        JsonNode json = new ObjectMapper().readTree(EndToEndReport.toJson(RESULT));

        assertEquals(200_000, json.path("passthrough_rps").asDouble());
        assertEquals(60_000, json.path("forecast_rps").asDouble());
        assertEquals(2.1, json.path("records_per_reading").asDouble());
        assertEquals(480, json.path("bytes_per_reading").asDouble());
        assertEquals(4.5, json.path("forecast_jit_cpu_us_per_reading").asDouble());
        assertEquals(50_000, json.path("pace_rps").asDouble());
        assertEquals(6_000, json.path("retrain_start_lag_samples").asLong());
        assertEquals(0.93, json.path("trained_forecast_share").asDouble());
        assertEquals(24.5, json.path("daily_cycle").path("cpu_us_per_reading").asDouble());
        assertEquals(1_000, json.path("daily_cycle").path("season_changes").asLong());
        assertEquals(160_000, json.path("data_flow_rps").asDouble());
        assertEquals(0.8, json.path("data_flow_to_passthrough").asDouble());
        assertEquals(60, json.path("p50_ms").asDouble());
        assertEquals(150, json.path("p99_ms").asDouble());
        assertEquals(180, json.path("p99_retrain_ms").asDouble());
        assertEquals("exactly_once_v2", json.path("guarantee").asText());
        assertEquals(40, json.path("latency").path("at_least_once").path("p99_ms").asDouble());
        assertEquals(70, json.path("latency").path("at_least_once").path("p99_retrain_ms").asDouble());
        assertEquals(1_000_000, json.path("load").path("readings").asLong());
        assertFalse(json.path("quick").asBoolean());
    }

    @Test
    void tableMarksEachFigureAgainstItsTarget() {
        String table = EndToEndReport.formatTable(RESULT);

        // 0.30 of the passthrough rate misses the 0.35 target, 25 us the 20 us, a lag of 6,000 the 5,000; the latencies
        // meet theirs (70/40 = 1.75 misses 1.5).
        assertTrue(table.lines().anyMatch(l -> l.contains("forecasting / passthrough") && l.endsWith("MISSED")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("forecasting CPU per reading") && l.endsWith("MISSED")),
                table);
        assertTrue(table.lines().anyMatch(l -> l.contains("retraining start lag") && l.endsWith("MISSED")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("data flow alone / passthrough") && l.contains("0.80")),
                table);
        assertTrue(table.lines().anyMatch(l -> l.contains("bytes on disk per reading") && l.contains("480")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("at_least_once p99 ") && l.endsWith("ok")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("at_least_once p99 during") && l.endsWith("MISSED")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("exactly_once_v2 p99 during") && l.endsWith("ok")), table);
        assertFalse(RESULT.meetsTargets());
    }

    @Test
    void percentileIsTheNearestRank() {
        int[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        assertEquals(5, LatencySamples.percentile(sorted, 0.50));
        assertEquals(10, LatencySamples.percentile(sorted, 0.99));
        assertEquals(1, LatencySamples.percentile(sorted, 0.01));
        assertTrue(Double.isNaN(LatencySamples.percentile(new int[0], 0.99)));
    }

    @Test
    void samplesAreSelectedByTheirReadingsTimestamp() {
        LatencySamples samples = new LatencySamples();
        for (int k = 0; k < 100_000; k++) {
            samples.add(k, k % 2 == 0 ? 10 : 30, k == 7);
        }

        int[] firstHalf = samples.sortedLatencies(ts -> ts < 50_000);
        assertEquals(50_000, firstHalf.length);
        assertEquals(10, firstHalf[0]);
        assertEquals(30, firstHalf[firstHalf.length - 1]);
        assertEquals(1, samples.naiveCount(ts -> ts < 10));
        assertEquals(0, samples.naiveCount(ts -> ts >= 10));
    }
}
