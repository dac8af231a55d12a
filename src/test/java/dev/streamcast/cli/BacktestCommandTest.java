package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamcast backtest} through the same command line main() runs, on a shipped real series. */
@Tag("topology")
class BacktestCommandTest {

    /** The first year of each of the ten public series (src/test/resources/series/README.md). */
    static final Path PUBLIC_2000 = Path.of("src/test/resources/series/public-2000.csv");

    /**
     * BENCHMARKS.md, "Forecast quality", the CI backtest: births.ssa's skill and the median skill of this file with
     * the settings below. A change of the model, its training or the gate moves them: update both there and here.
     */
    static final double BIRTHS_SSA_SKILL = 0.6459;
    static final double MEDIAN_SKILL = 0.122;
    /** Room for floating-point differences between JVMs and CPUs (Math.exp and friends may differ by an ulp). */
    static final double TOLERANCE = 0.01;

    /** The retraining and correction defaults of this commit, pinned so that a change of the defaults moves nothing. */
    static final List<String> PINNED = List.of("retrain.buffer.size=5000", "retrain.every.samples=1000",
            "retrain.min.samples=200", "retrain.holdout=0.2", "retrain.epochs=20", "retrain.batch-size=16",
            "retrain.learning-rate=0.001", "retrain.clip-norm=1.0", "retrain.seed=0", "window.length=3",
            "model.scope=global", "forecast.correction.readings=300");

    @TempDir
    Path dir;

    private static CliRun backtest(String... args) {
        List<String> all = new ArrayList<>(List.of("backtest"));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static String[] pinned(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        for (String set : PINNED) {
            all.add("--set");
            all.add(set);
        }
        return all.toArray(String[]::new);
    }


    @Test
    void backtestIsDeterministicForASeed() throws IOException {
        Path first = dir.resolve("first.json");
        Path second = dir.resolve("second.json");
        CliRun run = backtest(pinned("--data", PUBLIC_2000.toString(), "--key", "sensor", "--json",
                first.toString()));
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(0, backtest(pinned("--data", PUBLIC_2000.toString(), "--key", "sensor", "--json",
                second.toString())).exitCode());
        assertEquals(Files.readString(first), Files.readString(second), "the same JSON twice");

        JsonNode report = new ObjectMapper().readTree(first.toFile());
        assertEquals(10, report.path("series").size());
        for (JsonNode s : report.path("series")) {
            for (String field : List.of("id", "readings", "forecasts", "scored", "modelShare", "firstModelAt", "rmse",
                    "mae", "naiveRmse", "skill", "coverage", "meanWidth", "naiveWidth", "anomalyRate", "anomalies",
                    "floorShare", "modelSkill", "spikes", "spikeRecall", "steps")) {
                assertTrue(s.has(field), field + " missing in " + s);
            }
            assertEquals(0, s.path("spikes").asInt(), "no spikes without --spikes");
            assertTrue(s.path("spikeRecall").isNull());
            assertTrue(s.path("naiveWidth").asDouble() > 0, s.toString());
            assertTrue(s.path("meanWidth").asDouble() > 0, s.toString());
            // issue 12: each series 0.2-4 % flagged at anomaly.level 0.99 (here 1 to 7 of its 183 scored readings)
            double anomalyRate = s.path("anomalyRate").asDouble();
            assertTrue(anomalyRate >= 0.002 && anomalyRate <= 0.04, s.toString());
            JsonNode step = s.path("steps").get(0);
            assertEquals(1, s.path("steps").size());
            assertEquals(1, step.path("step").asInt());
            assertEquals(s.path("skill").asDouble(), step.path("skill").asDouble());
            assertEquals(s.path("coverage").asDouble(), step.path("coverage").asDouble());
            assertEquals(366, s.path("readings").asInt());
            assertEquals(183, s.path("scored").asInt(), "the readings from the 183rd of 366 on are scored");
        }
        JsonNode births = report.path("series").get(9);
        assertEquals("births.ssa", births.path("id").asText());
        assertEquals(BIRTHS_SSA_SKILL, births.path("skill").asDouble(), TOLERANCE);
        assertEquals(MEDIAN_SKILL, report.path("medianSkill").asDouble(), TOLERANCE);

        JsonNode retrainings = report.path("retrainings");
        assertTrue(retrainings.size() > 0);
        for (String field : List.of("streamTime", "modelId", "outcome", "version", "samples", "challengerRmse",
                "championRmse", "naiveRmse")) {
            assertTrue(retrainings.get(0).has(field), field + " missing in " + retrainings.get(0));
        }
        assertEquals("accepted", retrainings.get(0).path("outcome").asText());
        assertEquals(1, retrainings.get(0).path("version").asInt());

        // Issue 12 item 5: the intervals at forecast.interval.level 0.9 hold about 90 % of the shipped real data.
        double coverage = report.path("overall").path("coverage").asDouble();
        assertTrue(coverage >= 0.85 && coverage <= 0.95, "overall coverage " + coverage);
        // and 0.5-2 % of the scored readings flagged, pooled over the ten series
        double pooledAnomalies = report.path("overall").path("anomalyRate").asDouble();
        assertTrue(pooledAnomalies >= 0.005 && pooledAnomalies <= 0.02, "pooled anomaly rate " + pooledAnomalies);

        assertTrue(run.out().contains("retrain.every, a wall-clock trigger, does not apply"), run.out());
        assertTrue(run.out().contains("coverage  mean_width naive_width  anomaly  floor   spikes"), run.out());
        assertTrue(run.out().contains("median skill over the series: " + String.format("%+.3f",
                report.path("medianSkill").asDouble())), run.out());
        assertTrue(run.err().contains("3,660/3,660 readings (100%)"), "progress: " + run.err());
    }

    /**
     * forecast.horizon 6 on the shipped real data: steps 1..6 per series, step 1 the series' one-step figures (the
     * same as with H = 1: the CI figures above), every step's skill finite and its coverage near the intervals'
     * level 0.9 (over 183 readings a series; newyork.temp_min's later steps cover least, 73-80 %), the intervals
     * wider at later steps. Steps 1-6 printed as a table.
     */
    @Test
    void aSixStepHorizonIsScoredPerStep() throws IOException {
        Path json = dir.resolve("h6.json");
        CliRun run = backtest(pinned("--data", PUBLIC_2000.toString(), "--key", "sensor", "--set",
                "forecast.horizon=6", "--json", json.toString()));
        assertEquals(0, run.exitCode(), run.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        List<JsonNode> rows = new ArrayList<>();
        report.path("series").forEach(rows::add);
        rows.add(report.path("overall"));
        for (JsonNode s : rows) {
            JsonNode steps = s.path("steps");
            assertEquals(6, steps.size(), s.toString());
            JsonNode first = steps.get(0);
            for (String field : List.of("scored", "rmse", "naiveRmse", "skill", "coverage", "meanWidth")) {
                assertEquals(s.path(field), first.path(field), field + " of step 1");
            }
            for (int h = 1; h <= 6; h++) {
                JsonNode step = steps.get(h - 1);
                String what = s.path("id").asText() + " step " + h + ": " + step;
                assertEquals(h, step.path("step").asInt(), what);
                assertEquals(s.path("scored").asInt(), step.path("scored").asInt(), "every scored reading, " + what);
                assertTrue(step.path("skill").isNumber() && Double.isFinite(step.path("skill").asDouble()), what);
                double coverage = step.path("coverage").asDouble();
                assertTrue(coverage >= 0.7 && coverage <= 0.99, what);
                assertTrue(step.path("meanWidth").asDouble() >= first.path("meanWidth").asDouble(), what);
            }
        }
        JsonNode overall = report.path("overall").path("steps");
        for (int h = 2; h <= 6; h++) {
            // Wider than step 1's; not always wider than the step before: a sensor whose own errors stop growing
            // (the births' seventh day is the first again) keeps the width its errors need.
            assertTrue(overall.get(h - 1).path("meanWidth").asDouble() > overall.get(0).path("meanWidth").asDouble(),
                    "pooled, each step's intervals are wider than step 1's: " + overall);
            double coverage = overall.get(h - 1).path("coverage").asDouble();
            assertTrue(coverage >= 0.85 && coverage <= 0.95, "pooled coverage of step " + h + ": " + coverage);
        }
        JsonNode births = report.path("series").get(9);
        assertEquals(BIRTHS_SSA_SKILL, births.path("skill").asDouble(), TOLERANCE, "step 1 as with one step");
        assertEquals(MEDIAN_SKILL, report.path("medianSkill").asDouble(), TOLERANCE);
        assertTrue(run.out().contains("per horizon step, steps 1-6 of 6"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("births.ssa")
                && l.contains(String.format("%+.4f %.1f%%",
                births.path("steps").get(5).path("skill").asDouble(),
                births.path("steps").get(5).path("coverage").asDouble() * 100))), run.out());
    }

    @Test
    void aHorizonOrLevelOutOfRangeIsOneLineNamingTheKey() {
        String data = PUBLIC_2000.toString();
        backtest("--data", data, "--key", "sensor", "--set", "forecast.horizon=49")
                .assertUserError("forecast.horizon", "1 to 48", "49");
        backtest("--data", data, "--key", "sensor", "--set", "forecast.horizon=0").assertUserError("forecast.horizon");
        backtest("--data", data, "--key", "sensor", "--set", "anomaly.level=1.5").assertUserError("anomaly.level",
                "1.5");
        backtest("--data", data, "--key", "sensor", "--set", "forecast.interval.level=1")
                .assertUserError("forecast.interval.level");
    }

    /**
     * Issue 12 item 5, the spike rule on shipped real data: spikes of 10 RMS steps put into each series' scored part
     * are flagged as anomalies (issue 12: at least 99 % of them; here all 40) and counted apart from the series'
     * readings.
     */
    @Test
    void injectedSpikesOnRealDataAreFlagged() throws IOException {
        Path json = dir.resolve("spikes.json");
        CliRun run = backtest(pinned("--data", PUBLIC_2000.toString(), "--key", "sensor", "--spikes", "4",
                "--json", json.toString()));
        assertEquals(0, run.exitCode(), run.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        for (JsonNode s : report.path("series")) {
            assertEquals(4, s.path("spikes").asInt(), s.toString());
            assertEquals(179, s.path("scored").asInt(), "the 4 spikes are not scored as readings: " + s);
            assertEquals(1.0, s.path("spikeRecall").asDouble(), "every spike flagged: " + s);
        }
        assertEquals(40, report.path("overall").path("spikes").asInt());
        assertEquals(1.0, report.path("overall").path("spikeRecall").asDouble(), report.path("overall").toString());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("births.ssa") && l.endsWith(" 100.0%")),
                "the spikes column: " + run.out());
    }

    @Test
    void aNegativeSpikeCountIsOneLineAndExitCodeTwo() {
        backtest("--data", PUBLIC_2000.toString(), "--spikes", "-1").assertUserError("--spikes");
    }

    @Test
    void aMissingFileIsOneLineAndExitCodeTwo() {
        backtest("--data", dir.resolve("nope.csv").toString()).assertUserError("nope.csv: no such file");
    }

    @Test
    void aColumnTheFileDoesNotHaveIsOneLineAndExitCodeTwo() {
        backtest("--data", PUBLIC_2000.toString(), "--key", "station")
                .assertUserError("--key names no column 'station'", "[sensor, timestamp, value]");
        backtest("--data", PUBLIC_2000.toString(), "--timestamp", "time")
                .assertUserError("--timestamp names no column 'time'");
    }

    @Test
    void aValueThatIsNotANumberNamesItsLineAndColumn() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"),
                "sensor,timestamp,value\ns,2000-01-01T00:00:00Z,1\ns,2000-01-02T00:00:00Z,warm\n");
        backtest("--data", csv.toString(), "--key", "sensor").assertUserError("bad.csv, line 3, column 'value'",
                "'warm' is not a number");
    }

    @Test
    void aTimestampThatIsNotOneNamesItsLineAndColumn() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "sensor,timestamp,value\ns,yesterday,1\n");
        backtest("--data", csv.toString(), "--key", "sensor").assertUserError("bad.csv, line 2, column 'timestamp'",
                "'yesterday' is not a timestamp");
    }

    @Test
    void aTimestampBefore1970IsOneLineNamingItsLineNotAStackTrace() throws IOException {
        // monthly CO2 since 1958, as a user would try it: Kafka's record timestamps cannot go before 1970
        Path csv = Files.writeString(dir.resolve("co2.csv"), "Date,CO2\n1970-01-01,324.6\n1958-03-01,315.7\n");
        backtest("--data", csv.toString(), "--timestamp", "Date").assertUserError("co2.csv, line 3, column 'Date'",
                "'1958-03-01' is before 1970-01-01");
        Path epoch = Files.writeString(dir.resolve("epoch.csv"), "timestamp,value\n0,1\n-1,2\n");
        backtest("--data", epoch.toString()).assertUserError("epoch.csv, line 3", "'-1' is before 1970-01-01");
    }

    @Test
    void aScoreFromOutsideZeroToOneIsOneLineAndExitCodeTwo() {
        backtest("--data", PUBLIC_2000.toString(), "--score-from", "1.5").assertUserError("--score-from");
    }

    @Test
    void anUnknownSettingIsOneLineAndExitCodeTwo() {
        backtest("--data", PUBLIC_2000.toString(), "--set", "retrain.evry=5")
                .assertUserError("unknown configuration key 'retrain.evry'");
    }
}
