package dev.streamcast.bench.e2e;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the whole end-to-end benchmark on a tiny load, so its code path (broker, preload, both drains, both
 * guarantees, a retraining, the report) stays tested. No figure is held to a target: times are the benchmark's
 * output, not a test's verdict.
 */
@Tag("broker")
class EndToEndBenchmarkTest {

    /** 3,000 readings over 100 sensors, no warm-up round; 500 readings/s, 1 s per latency figure; one retraining. */
    private static final EndToEndSettings TINY = new EndToEndSettings(3_000, 0, 100, 500, Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ZERO, 2, 500, 2, true);

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void measuresEveryTopologyAndBothGuaranteesAndLeavesNothingRunning() throws Exception {
        EndToEndResult result = EndToEndBenchmark.run(TINY);

        assertTrue(result.passthroughRps() > 0, "passthrough rate " + result.passthroughRps());
        assertTrue(result.dataFlowRps() > 0, "data flow rate " + result.dataFlowRps());
        assertTrue(result.forecastRps() > 0, "forecasting rate " + result.forecastRps());
        // The broker's log directory holds the outputs and changelogs: at least a few bytes per reading, finite.
        assertTrue(result.bytesPerReading() > 10 && result.bytesPerReading() < 100_000,
                "bytes on disk per reading " + result.bytesPerReading());
        assertEquals(List.of(EndToEndResult.AT_LEAST_ONCE, EndToEndResult.EXACTLY_ONCE_V2),
                result.latencies().stream().map(EndToEndResult.Latency::guarantee).toList());
        for (EndToEndResult.Latency l : result.latencies()) {
            assertTrue(l.forecasts() > 0 && l.retrainForecasts() > 0, l.toString());
            assertTrue(0 <= l.p50Ms() && l.p50Ms() <= l.p99Ms() && l.p99Ms() <= l.maxMs() && l.p99Ms() > 0,
                    l.toString());
            assertTrue(0 <= l.p50RetrainMs() && l.p50RetrainMs() <= l.p99RetrainMs()
                    && l.p99RetrainMs() <= l.maxRetrainMs() && l.p99RetrainMs() > 0, l.toString());
            assertTrue(l.retrainings() >= 1, l.toString());
            assertEquals(0, l.naiveForecasts(), "every measured forecast went through the LSTM: " + l);
        }
        assertEquals(result.latency(EndToEndResult.EXACTLY_ONCE_V2).p99Ms(), result.p99Ms());

        JsonNode json = new ObjectMapper().readTree(EndToEndReport.toJson(result));
        for (String figure : List.of("passthrough_rps", "forecast_rps", "p50_ms", "p99_ms", "p99_retrain_ms")) {
            assertTrue(json.path(figure).isNumber(), figure + " in " + json);
        }
        assertEquals(result.forecastRps(), json.path("forecast_rps").asDouble());
        assertEquals(result.bytesPerReading(), json.path("bytes_per_reading").asDouble());
        assertEquals(result.p99RetrainMs(), json.path("p99_retrain_ms").asDouble());
        assertTrue(EndToEndReport.formatTable(result).contains("forecasting / passthrough"));

        assertEquals(List.of(), benchmarkThreads(), "threads the benchmark left running");
    }

    /** Threads of the benchmark's own clients and Kafka Streams instances: all named after "streamcast-e2e-". */
    private static List<String> benchmarkThreads() {
        try {
            await("the benchmark's threads ended", Duration.ofSeconds(5))
                    .until(() -> aliveBenchmarkThreads().isEmpty());
        } catch (ConditionTimeoutException e) {
            // The caller names them.
        }
        return aliveBenchmarkThreads();
    }

    private static List<String> aliveBenchmarkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains("streamcast-e2e-")).toList();
    }
}
