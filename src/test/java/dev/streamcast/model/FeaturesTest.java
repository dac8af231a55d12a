package dev.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** model.features: the names, the raw numbers of a step, their scaling, the document, widening a model. */
@Tag("unit")
class FeaturesTest {

    private static final Features WIDE = Features.parse("value,season,day.sin,day.cos,week.sin,week.cos");

    private static ModelDocument seedArchitecture() throws IOException {
        return ModelCodec.parse(Files.readAllBytes(Path.of("config/model.json")));
    }

    @Test
    void namesParseInTheirOrderAndValueAloneIsTheSeedsInput() {
        Features f = Features.parse(" season , value,day.sin");
        assertEquals(List.of("season", "value", "day.sin"), f.names());
        assertEquals(3, f.count());
        assertEquals(1, f.valueIndex());
        assertEquals("season,value,day.sin", f.toString());
        assertSame(Features.VALUE, Features.parse("value"));
        assertTrue(Features.VALUE.isValueOnly());
        assertTrue(Features.VALUE.isSubsetOf(f));
        assertFalse(f.isSubsetOf(Features.VALUE));
    }

    @Test
    void unknownDuplicatedOrValuelessSetsAreRefusedNamingTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Features.parse("value,hour.sin"))
                .getMessage().contains("unknown feature 'hour.sin'; expected value, season, day.sin"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Features.parse("value,season,value"))
                .getMessage().contains("'value' is listed twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Features.parse("season,day.sin"))
                .getMessage().contains("must include value"));
        assertThrows(IllegalArgumentException.class, () -> Features.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Features.parse("value,"));
    }

    @Test
    void theCodeNamesTheSetAndItsOrder() {
        for (String list : List.of("value", "value,season", "season,value", "value,season,day.sin,day.cos,week.sin,"
                + "week.cos", "week.cos,value")) {
            Features f = Features.parse(list);
            assertEquals(f, Features.fromCode(f.code()), list);
        }
        assertNotEquals(Features.parse("value,season").code(), Features.parse("season,value").code());
        assertEquals(1, Features.VALUE.code());
        assertNull(Features.fromCode(0xF));
        assertNull(Features.fromCode(0x22)); // season twice, no value
    }

    @Test
    void aStepCarriesTheValueTheSeasonsOffsetAndTheUtcPhasesOfItsTime() {
        double[] row = new double[2 * WIDE.count()];
        // Monday 2026-11-30 00:00 UTC: the start of the day and of the week.
        long monday = Instant.parse("2026-11-30T00:00:00Z").toEpochMilli();
        WIDE.writeStep(12.5, -1.5, monday, row, 0);
        assertArrayEquals(new double[] {12.5, -1.5, 0, 1, 0, 1}, java.util.Arrays.copyOf(row, 6), 1e-12);
        // Thursday 06:00: a quarter of the day, (3 + 0.25) / 7 of the week.
        long thursday = Instant.parse("2026-12-03T06:00:00Z").toEpochMilli();
        WIDE.writeStep(7, 0, thursday, row, 6);
        double week = 2 * Math.PI * 3.25 / 7;
        assertArrayEquals(new double[] {7, 0, 1, 0, Math.sin(week), Math.cos(week)},
                java.util.Arrays.copyOfRange(row, 6, 12), 1e-12);
        // Before 1970 the phases still follow the calendar (floor, not truncation).
        WIDE.writeStep(0, 0, Instant.parse("1969-12-31T18:00:00Z").toEpochMilli(), row, 0);
        assertEquals(-1.0, row[2], 1e-12);
    }

    @Test
    void theValueScalesAsTheModelsScalingTheSeasonByTheValuesUnitClippedAndThePhasesNot() {
        Features f = Features.parse("day.cos,value,season");
        double[] row = {0.5, 10, 2, -0.5, 11, 100, 1, 12, -3};
        double[] values = new double[3];
        f.valueWindow(row, 0, 3, values);
        assertArrayEquals(new double[] {10, 11, 12}, values);
        assertEquals(12, f.lastValue(row, 0, 3));
        Scaling.Sensor sensor = new Scaling.Sensor();
        double[] scaled = new double[9];
        f.scaleRow(sensor, row, 0, 3, 10.5, 2.0, values, scaled, 0);
        double[] valuesScaled = new double[3];
        sensor.scaleWindow(values, 0, 3, 10.5, 2.0, valuesScaled, 0);
        assertArrayEquals(new double[] {0.5, valuesScaled[0], 1.0, -0.5, valuesScaled[1], 6.0, 1, valuesScaled[2],
            -1.5}, scaled, 1e-12);
        // Kind none: raw; kind standard: the season divided by the std.
        f.scaleRow(new Scaling.None(), row, 0, 3, 0, 0, values, scaled, 0);
        assertArrayEquals(row, scaled);
        f.scaleRow(new Scaling.Standard(5, 4), row, 0, 3, 0, 0, values, scaled, 0);
        assertEquals(0.5, scaled[2], 1e-12);
        assertEquals((11 - 5) / 4.0, scaled[4], 1e-12);
    }

    @Test
    void aModelWidenedToMoreFeaturesForecastsExactlyAsBeforeUntilTrained() throws IOException {
        Forecaster narrow = ModelCodec.toForecaster(seedArchitecture(), 11);
        Forecaster wide = FeatureWidening.widen(narrow, WIDE);
        assertEquals(WIDE, wide.features());
        assertEquals(3, wide.windowLength());
        assertEquals(18, wide.network().inputSize());
        SplittableRandom random = new SplittableRandom(3);
        double[] window = new double[3];
        double[] row = new double[18];
        for (int trial = 0; trial < 20; trial++) {
            long t = 1_700_000_000_000L + random.nextLong(1_000_000_000L);
            for (int k = 0; k < 3; k++) {
                window[k] = 20 + random.nextDouble() * 5;
                WIDE.writeStep(window[k], random.nextDouble() * 3, t + k * 3_600_000L, row, k * 6);
            }
            assertEquals(narrow.forecast(window, 0, 21, 1.3), wide.forecast(row, 0, 21, 1.3), 1e-12);
        }
        // An architecture widens by its input shape alone; one of features the wider set lacks cannot be.
        ModelDocument architecture = FeatureWidening.widen(seedArchitecture(), Features.parse("value,day.sin"));
        assertEquals(List.of(3, 2), architecture.layers().get(0).inputShape());
        assertEquals(List.of("value", "day.sin"), architecture.features());
        assertThrows(ModelFormatException.class, () -> FeatureWidening.widen(architecture, Features.VALUE));
    }

    @Test
    void computingAStepsFeaturesAndForecastingFromThemAllocatesNothing() throws IOException {
        Forecaster wide = FeatureWidening.widen(ModelCodec.toForecaster(seedArchitecture(), 4), WIDE);
        double[] row = new double[18];
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        double sum = 0;
        long before = 0;
        for (int round = 0; round < 2; round++) {
            // The first round warms the JIT up; the second is measured.
            before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 20_000; i++) {
                for (int k = 0; k < 3; k++) {
                    WIDE.writeStep(20 + (i + k) % 7, 0.5, 1_700_000_000_000L + (i + k) * 3_600_000L, row, 6 * k);
                }
                sum += wide.forecast(row, 0, 21, 1.5);
            }
        }
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(Double.isFinite(sum));
        assertTrue(allocated < 20_000, allocated + " bytes allocated by 20,000 readings' rows and forecasts");
    }

    @Test
    void theDocumentRecordsTheFeaturesAndRoundTrips() throws IOException {
        Forecaster wide = FeatureWidening.widen(ModelCodec.toForecaster(seedArchitecture(), 5), WIDE);
        ModelDocument doc = ModelCodec.toDocument(wide);
        assertEquals(WIDE.names(), doc.features());
        assertEquals(List.of(3, 6), doc.layers().get(0).inputShape());
        Forecaster back = ModelCodec.decode(ModelCodec.writeCompact(doc), 0);
        assertEquals(WIDE, back.features());
        double[] row = new double[18];
        for (int k = 0; k < 18; k++) {
            row[k] = Math.sin(k);
        }
        assertEquals(wide.forecast(row, 0, 0.1, 0.7), back.forecast(row, 0, 0.1, 0.7));
        // predict --inputs runs it on (T, F) inputs of raw features, in the context the window alone gives.
        Predictor predictor = ModelCodec.toPredictor(doc);
        assertArrayEquals(new int[] {3, 6}, predictor.inputShape());
        assertEquals(wide.forecast(row, 0), predictor.predict(row)[0], 1e-12);
        // A value-only model writes no features: older versions read its document as before.
        String narrow = new String(ModelCodec.writeCompact(ModelCodec.toDocument(ModelCodec.toForecaster(
                seedArchitecture(), 5))), java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(narrow.contains("features"), narrow);
        // A document without features is value-only.
        assertEquals(Features.VALUE, ModelCodec.features(seedArchitecture()));
    }

    @Test
    void featuresThatDoNotFitTheInputAreRefusedNamingThem() throws IOException {
        ModelDocument wide = ModelCodec.toDocument(FeatureWidening.widen(ModelCodec.toForecaster(seedArchitecture(),
                5), WIDE));
        ModelFormatException tooFew = assertThrows(ModelFormatException.class,
                () -> ModelCodec.toForecaster(wide.withFeatures(List.of("value", "season")), 0));
        assertEquals("features: 2 per step (value,season), the input shape [3, 6] takes 6 per step",
                tooFew.getMessage());
        ModelFormatException unknown = assertThrows(ModelFormatException.class,
                () -> ModelCodec.toForecaster(wide.withFeatures(List.of("value", "a", "b", "c", "d", "e")), 0));
        assertTrue(unknown.getMessage().startsWith("features: unknown feature 'a'"), unknown.getMessage());
        // Without features a wider input stays refused as before: the stream feeds one reading per step.
        ModelFormatException none = assertThrows(ModelFormatException.class,
                () -> ModelCodec.toForecaster(wide.withFeatures(null), 0));
        assertTrue(none.getMessage().startsWith("layers[0].inputShape: the stream feeds one reading per step"),
                none.getMessage());
    }

    @Test
    void aTrainingSetOfWideRowsProjectsOntoASubsetAndGivesItsLastValue() {
        Features f = Features.parse("season,value,week.sin");
        TrainingSet set = new TrainingSet(2, f, 1);
        set.add(new double[] {1, 10, 0.1, 2, 20, 0.2}, 0, 15, 3, 21);
        set.add(new double[] {3, 30, 0.3, 4, 40, 0.4}, 0, 35, 4, 41);
        assertEquals(6, set.inputSize());
        assertEquals(2, set.windowLength());
        assertEquals(20, set.lastValue(0));
        assertEquals(40, set.lastValue(1));
        TrainingSet values = set.project(Features.VALUE);
        assertArrayEquals(new double[] {30, 40}, values.row(1));
        assertEquals(41, values.target(1));
        assertEquals(35, values.level(1));
        TrainingSet reordered = set.project(Features.parse("week.sin,value"));
        assertArrayEquals(new double[] {0.1, 10, 0.2, 20}, reordered.row(0));
        assertThrows(IllegalArgumentException.class, () -> values.project(f));
        assertEquals(ChallengerTrainer.naiveRmse(values), ChallengerTrainer.naiveRmse(set), 0);
    }

    @Test
    void aChallengerOfWiderFeaturesStartsFromTheWidenedChampionAndIsScoredAgainstIt() throws IOException {
        Forecaster champion = ModelCodec.toForecaster(seedArchitecture(), 2).withIdentity("default", 4, null, null);
        Features f = Features.parse("value,day.sin,day.cos");
        TrainingSet samples = new TrainingSet(3, f, 300);
        double[] row = new double[9];
        long hour = 3_600_000L;
        double[] series = new double[303];
        for (int i = 0; i < series.length; i++) {
            series[i] = 10 + 5 * Math.sin(2 * Math.PI * i / 24.0);
        }
        SensorStats stats = SensorStats.EMPTY;
        for (int i = 0; i < 2; i++) {
            stats = stats.next(series[i]);
        }
        for (int i = 0; i + 3 < series.length; i++) {
            stats = stats.next(series[i + 2]);
            for (int k = 0; k < 3; k++) {
                f.writeStep(series[i + k], 0, (i + k) * hour, row, 3 * k);
            }
            samples.add(row, 0, stats.level(), stats.stepRms(), series[i + 3]);
        }
        ChallengerTrainer.Outcome outcome = ChallengerTrainer.run("default", champion, champion, samples, 0.2,
                TrainingOptions.DEFAULTS.withSeed(1).withEpochs(5));
        double championRmse = ChallengerTrainer.scaledRmse(champion, samples.slice(240, 300).project(Features.VALUE));
        assertEquals(championRmse, outcome.championRmse(), 1e-12);
        assertEquals(4, outcome.championVersion());
        if (outcome.accepted()) {
            assertEquals(f, outcome.model().features());
            assertEquals(5, outcome.model().version());
        }
    }
}
