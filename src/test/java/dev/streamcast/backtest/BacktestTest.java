package dev.streamcast.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.ModelCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backtest engine on the real topology (StreamcastTopology.build in a TopologyTestDriver), on synthetic series. */
@Tag("topology")
class BacktestTest {

    private static final long DAY = 86_400_000L;
    private static final Instant T0 = Instant.parse("2000-01-01T00:00:00Z");

    /** Rising ramps of step 1 for three sensors at different levels, one reading a day, interleaved. */
    private static List<SensorReading> ramps(int days) {
        List<SensorReading> readings = new ArrayList<>();
        for (String sensor : List.of("low", "mid", "high")) {
            double level = sensor.equals("low") ? 5 : sensor.equals("mid") ? 100 : 1000;
            for (int d = 0; d < days; d++) {
                readings.add(new SensorReading(sensor, T0.toEpochMilli() + d * DAY, level + d));
            }
        }
        return readings; // in file order: one sensor after the other
    }

    /** Retraining every {@code samples} samples, the first model too (retrain.min.samples as large, up to 5,000). */
    private static StreamcastConfig retrainEvery(int samples) {
        Map<String, String> m = new HashMap<>();
        m.put("retrain.every.samples", Integer.toString(samples));
        m.put("retrain.min.samples", Integer.toString(Math.min(samples, 5000)));
        m.put("retrain.epochs", "20");
        m.put("retrain.batch-size", "4");
        m.put("retrain.learning-rate", "0.01");
        return StreamcastConfig.of(m);
    }

    private static BacktestReport run(StreamcastConfig config, List<SensorReading> readings) {
        return new Backtest(config, 0.5, line -> { }).run(readings);
    }

    private static BacktestReport.SeriesResult series(BacktestReport report, String id) {
        return report.series().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void withoutAModelEveryForecastIsTheLastValueAndTheSkillIsZero() {
        BacktestReport report = run(retrainEvery(1_000_000), ramps(40));
        BacktestReport.SeriesResult low = series(report, "low");
        assertEquals(40, low.readings());
        assertEquals(38, low.forecasts(), "one forecast per full window, from the third reading on");
        assertEquals(20, low.scored(), "the readings from the 20th of 40 on are scored");
        assertEquals(0.0, low.modelShare());
        assertNull(low.firstModelAt());
        assertEquals(1.0, low.rmse(), 1e-12, "the ramp's step");
        assertEquals(low.naiveRmse(), low.rmse(), 0);
        assertEquals(0.0, low.skill(), 0);
        assertEquals(0.0, report.medianSkill(), 0);
        assertEquals(120, report.overall().readings());
        assertTrue(report.retrainings().isEmpty());
    }

    @Test
    void aModelTrainedFromTheReplayReachesTheGlobalStoreAndServesTheForecastsAfterIt() {
        // 3 sensors x 18 samples = 54 after day 20: the 54th sample triggers the first retraining
        BacktestReport report = run(retrainEvery(54), ramps(60));
        BacktestReport.Retraining first = report.retrainings().get(0);
        assertEquals("accepted", first.outcome(), first.decision());
        assertEquals(1, first.version());
        assertEquals("default", first.modelId());
        assertEquals(54, first.samples());
        assertEquals(first.samples(), first.trainingSamples() + first.holdoutSamples());
        assertNull(first.championRmse(), "the first model is compared with the naive forecast");
        assertTrue(first.challengerRmse() < first.naiveRmse());
        // ... on the 18th sample of the last sensor of the day: its 21st reading, day 20
        assertEquals(T0.plusMillis(20 * DAY).toString(), first.streamTime());
        for (String id : List.of("low", "mid", "high")) {
            BacktestReport.SeriesResult s = series(report, id);
            // The model published on day 20 came back through the models topic into the global store and made
            // every forecast from day 21 on: the 22nd reading of 60.
            assertEquals(22 / 60.0, s.firstModelAt(), 1e-12, id);
            assertEquals(1.0, s.modelShare(), id);
            assertTrue(s.skill() > 0.5, id + ": " + s.skill());
        }
        // versions rise by one per accepted retraining
        long version = 0;
        for (BacktestReport.Retraining r : report.retrainings()) {
            if (r.outcome().equals("accepted")) {
                assertEquals(++version, r.version());
            } else {
                assertEquals(version, r.version());
            }
        }
    }

    @Test
    void readingsAreReplayedInTimestampOrderWithTiesInFileOrder() {
        List<SensorReading> sensorBySensor = ramps(40);
        List<SensorReading> dayByDay = new ArrayList<>(sensorBySensor);
        dayByDay.sort(Comparator.comparingLong(SensorReading::timestamp)); // stable: low, mid, high each day
        assertEquals(run(retrainEvery(54), sensorBySensor), run(retrainEvery(54), dayByDay));

        List<SensorReading> reversed = new ArrayList<>(sensorBySensor);
        Collections.reverse(reversed);
        BacktestReport backwards = run(retrainEvery(54), reversed);
        for (String id : List.of("low", "mid", "high")) {
            assertEquals(0, series(backwards, id).refused(), "no reading came after a later one of its sensor");
        }
        assertEquals(T0.plusMillis(20 * DAY).toString(), backwards.retrainings().get(0).streamTime());
    }

    @Test
    void timestampsAheadOfTheClockAreNotRefusedAsFuture() {
        List<SensorReading> future = new ArrayList<>();
        long start = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();
        for (int d = 0; d < 10; d++) {
            future.add(new SensorReading("s", start + d * DAY, d));
        }
        BacktestReport report = run(retrainEvery(1_000_000), future);
        assertEquals(0, report.overall().refused());
        assertEquals(8, report.overall().forecasts());
    }

    @Test
    void wallClockRetrainingDoesNotApply(@TempDir Path dir) throws Exception {
        Map<String, String> m = new HashMap<>(retrainEvery(1_000_000).asMap());
        m.put("retrain.every", "1s");
        m.put("retrain.min.samples", "10");
        // A model from the start: the sample schedule then waits for retrain.every.samples (out of reach), so only a
        // wall-clock trigger could retrain.
        Path model = dir.resolve("initial.json");
        Files.write(model, ModelCodec.write(ModelCodec.toDocument(ModelCodec.toForecaster(
                ForecastSettings.from(StreamcastConfig.defaults()).architecture(), 1)
                .withIdentity("default", 1, "2026-01-01T00:00:00Z", null))));
        m.put("model.initial", model.toString());
        // 120 readings: 12 s of the driver's wall clock at one commit interval (100 ms) per reading
        BacktestReport report = run(StreamcastConfig.of(m), ramps(40));
        assertTrue(report.retrainings().isEmpty(), report.retrainings().toString());
    }

    @Test
    void aReadingOlderThanItsSensorsLastIsRefusedAndCounted() {
        List<SensorReading> readings = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            readings.add(new SensorReading("s", T0.toEpochMilli() + d * DAY, d));
        }
        // the same timestamp again with another value: refused as late (an identical one would be a duplicate)
        readings.add(new SensorReading("s", T0.toEpochMilli() + 9 * DAY, 42));
        BacktestReport report = run(retrainEvery(1_000_000), readings);
        assertEquals(1, series(report, "s").refused());
        assertNotNull(series(report, "s").rmse());
    }
}
