package dev.streamcast.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.Options;

/** The runner's options, table and JSON, without running JMH (a test never measures time). */
@Tag("unit")
class BenchmarkRunnerTest {

    private static final BenchmarkResult MEETS = new BenchmarkResult(1.1, 0.05, 0.0004, 0.6, 0.02, 5.5, 0.3,
            2.4, 0.1, false, 2, 0.9);
    private static final BenchedShape STACKED = new BenchedShape("lstm.json (default)", false, 100, 1, 116_033);
    private static final BenchmarkResult STACKED_RUN = new BenchmarkResult(STACKED, 4200, 300, 26, 3400, 250,
            10400, 900, Double.NaN, Double.NaN, false, 2, 7.1);

    @Test
    void theAnnotationProcessorListedTheFourBenchmarks() throws IOException {
        try (InputStream in = Benchmarks.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList is missing: JMH's annotation processor did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String method : List.of("forecastOne", "forecastBatch1024", "trainStepBatch1", "seedFit")) {
                assertTrue(list.contains(Benchmarks.class.getName()) && list.contains(" " + method + " "),
                        method + " missing from " + list);
            }
        }
    }

    @Test
    void quickRunsAreShorterThanFullRunsAndBothUseOneForkAndTheGcProfiler() {
        Options quick = BenchmarkRunner.options(true);
        Options full = BenchmarkRunner.options(false);
        long quickSeconds = (quick.getWarmupIterations().get() * quick.getWarmupTime().get().convertTo(TimeUnit.SECONDS)
                + quick.getMeasurementIterations().get() * quick.getMeasurementTime().get().convertTo(TimeUnit.SECONDS))
                * 4;
        assertTrue(quickSeconds <= 30, "quick runs measure for " + quickSeconds + " s");
        assertTrue(full.getMeasurementIterations().get() > quick.getMeasurementIterations().get());
        assertEquals(1, quick.getForkCount().get());
        assertEquals(1, full.getForkCount().get());
        assertEquals("GCProfiler", quick.getProfilers().get(0).getKlass().replaceAll(".*\\.", ""));
        String include = quick.getIncludes().get(0);
        assertTrue(Benchmarks.class.getName().concat(".forecastOne").matches(".*" + include + ".*"), include);
    }

    @Test
    void aModelRunTellsTheForkItsFileAndLeavesTheSeedFitOut(@TempDir Path dir) {
        Path model = dir.resolve("lstm.json");
        Options options = BenchmarkRunner.options(model, true);
        String include = options.getIncludes().get(0);
        for (String method : List.of("forecastOne", "forecastBatch1024", "trainStepBatch1")) {
            assertTrue(Pattern.compile(include).matcher(Benchmarks.class.getName() + "." + method).find(), include);
        }
        assertFalse(Pattern.compile(include).matcher(Benchmarks.class.getName() + ".seedFit").find(), include);
        assertTrue(options.getJvmArgsAppend().get().contains("-D" + BenchedModel.PROPERTY + "="
                + model.toAbsolutePath()), options.getJvmArgsAppend().get().toString());
        assertFalse(BenchmarkRunner.options(true).getJvmArgsAppend().hasValue());
    }

    @Test
    void aModelsTableNamesItAndHoldsItToNoTarget() {
        String table = BenchmarkRunner.formatTable(STACKED_RUN);
        assertTrue(table.contains("lstm.json (default), window 100 x 1, 116,033 parameters"), table);
        assertTrue(table.contains("4200.000 ± 300.000 us") && table.contains("3400.000 ± 250.000 us")
                && table.contains("10400.000 ± 900.000 us"), table);
        assertFalse(table.contains("seed fit") || table.contains("MISSED") || table.contains("<="), table);
        assertFalse(STACKED_RUN.meetsTargets());
    }

    @Test
    void aModelsJsonNamesItAndHasNoSeedFit(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bench.json");
        BenchmarkRunner.writeJson(STACKED_RUN, file);
        JsonNode json = new ObjectMapper().readTree(Files.readAllBytes(file));
        assertEquals("lstm.json (default)", json.path("model").asText());
        assertEquals(100, json.path("window_length").asInt());
        assertEquals(1, json.path("features").asInt());
        assertEquals(116_033, json.path("parameters").asLong());
        assertEquals(4200, json.path("forecast_one_us").asDouble());
        assertEquals(3400, json.path("forecast_batch_us_per_window").asDouble());
        assertEquals(10400, json.path("train_step_batch1_us").asDouble());
        assertFalse(json.has("seed_fit_ms"), json.toString());
    }

    @Test
    void scoresAreConvertedToTheUnitsOfTheFigures() {
        assertEquals(1.5, BenchmarkRunner.convert(1500, "ns/op", TimeUnit.MICROSECONDS), 1e-12);
        assertEquals(2.5, BenchmarkRunner.convert(2500, "us/op", TimeUnit.MILLISECONDS), 1e-12);
        assertEquals(3.0, BenchmarkRunner.convert(3.0, "ms/op", TimeUnit.MILLISECONDS), 1e-12);
    }

    @Test
    void theTableShowsEachFigureAgainstItsTarget() {
        String table = BenchmarkRunner.formatTable(MEETS);
        assertTrue(table.contains("forecast one window") && table.contains("1.100 ± 0.050 us")
                && table.contains("<= 2 us"), table);
        assertTrue(table.contains("0.600 ± 0.020 us") && table.contains("<= 1 us"), table);
        assertTrue(table.contains("5.500 ± 0.300 us") && table.contains("<= 10 us"), table);
        assertTrue(table.contains("2.400 ± 0.100 ms") && table.contains("<= 50 ms"), table);
        assertTrue(table.contains("allocation per forecast") && table.contains("0.000 B"), table);
        assertFalse(table.contains("MISSED"), table);
        assertTrue(table.contains("2 CPUs, load average 0.9") && !table.contains("pessimistic"), table);
        assertTrue(MEETS.meetsTargets());
    }

    @Test
    void aMissedTargetIsMarked() {
        BenchmarkResult slow = new BenchmarkResult(2.5, Double.NaN, 48, 0.6, 0.02, 5.5, 0.3, 2.4, 0.1, true, 2,
                4.2);
        String table = BenchmarkRunner.formatTable(slow);
        assertTrue(table.contains("2.500 us"), table);
        assertEquals(2, table.split("MISSED", -1).length - 1, table);
        assertTrue(table.contains("quick run"), table);
        assertTrue(table.contains("load average 4.2") && table.contains("pessimistic"), table);
        assertFalse(slow.meetsTargets());
    }

    @Test
    void jsonHoldsTheFourFiguresAndTheAllocation(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bench.json");
        BenchmarkRunner.writeJson(MEETS, file);
        JsonNode json = new ObjectMapper().readTree(Files.readAllBytes(file));
        assertEquals(1.1, json.path("forecast_one_us").asDouble());
        assertEquals(0.6, json.path("forecast_batch_us_per_window").asDouble());
        assertEquals(5.5, json.path("train_step_batch1_us").asDouble());
        assertEquals(2.4, json.path("seed_fit_ms").asDouble());
        assertEquals(0.0004, json.path("forecast_one_alloc_bytes_per_op").asDouble());
        assertFalse(json.path("quick").asBoolean(true));
        assertEquals(2, json.path("cpus").asInt());
        assertEquals(0.9, json.path("load_average").asDouble());
        assertEquals("seed", json.path("model").asText());
        assertEquals(3, json.path("window_length").asInt());
    }
}
