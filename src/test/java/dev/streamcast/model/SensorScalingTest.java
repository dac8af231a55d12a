package dev.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SensorScalingTest {

    private final Scaling.Sensor scaling = new Scaling.Sensor(6.0);

    @Test
    void inputsAreTheWindowsDeviationsFromTheSensorsLevelInItsTypicalSteps() {
        double[] scaled = new double[3];
        scaling.scaleWindow(new double[] {12, 10, 14}, 0, 3, 11.0, 2.0, scaled, 0);
        assertArrayEquals(new double[] {0.5, -0.5, 1.5}, scaled, 1e-12);
        // the target is the step from the last value
        assertEquals(-1.0, scaling.scaleTarget(new double[] {12, 10, 14}, 0, 3, 11.0, 2.0, 12.0), 1e-12);
    }

    @Test
    void anUntrainedOutputOfZeroIsTheNaiveForecast() {
        assertEquals(14.0, scaling.unscale(new double[] {12, 10, 14}, 0, 3, 11.0, 2.0, 0.0));
    }

    @Test
    void unscaleInvertsScaleTargetWithinTheClip() {
        double[] w = {1000.1, 1000.2, 1000.3};
        double target = 1000.45;
        assertEquals(target, scaling.unscale(w, 0, 3, 1000.0, 0.1,
                scaling.scaleTarget(w, 0, 3, 1000.0, 0.1, target)), 1e-9);
    }

    @Test
    void aFlatWindowKeepsItsSensorsScaleAndTheStormAfterItStaysBounded() {
        double[] dry = {0, 0, 0};
        double[] scaled = new double[3];
        scaling.scaleWindow(dry, 0, 3, 2.5, 8.0, scaled, 0);
        assertArrayEquals(new double[] {-2.5 / 8, -2.5 / 8, -2.5 / 8}, scaled, 1e-12);
        // 50 mm after dry days is 6.25 typical steps: clipped to 6; under the window scaling it was 5e7
        assertEquals(6.0, scaling.scaleTarget(dry, 0, 3, 2.5, 8.0, 50.0));
        assertEquals(5e7, new Scaling.Window().scaleTarget(dry, 0, 3, 2.5, 8.0, 50.0), 1);
    }

    @Test
    void aSensorThatNeverMovedStillScalesToFiniteNumbersAndForecastsItsValue() {
        double[] flat = {3, 3, 3};
        double[] scaled = new double[3];
        scaling.scaleWindow(flat, 0, 3, 3.0, 0.0, scaled, 0);
        assertArrayEquals(new double[] {0, 0, 0}, scaled);
        assertEquals(6.0, scaling.scaleTarget(flat, 0, 3, 3.0, 0.0, 3.5));
        assertEquals(3.0, scaling.unscale(flat, 0, 3, 3.0, 0.0, 0.4), 1e-5);
    }

    @Test
    void theDefaultArchitectureUsesTheSensorScalingAndItsDocumentKeepsTheClip() throws IOException {
        Forecaster fresh = ModelCodec.decode(Files.readAllBytes(Path.of("config/model.json")), 0);
        assertEquals(new Scaling.Sensor(), fresh.scaling());
        Forecaster copy = ModelCodec.decode(ModelCodec.write(ModelCodec.toDocument(
                new Forecaster("m", 1, null, 3, new Scaling.Sensor(4.5), fresh.network(), null))), 0);
        assertEquals(new Scaling.Sensor(4.5), copy.scaling());
    }

    @Test
    void aDocumentOfTheWindowScalingStillLoadsAndKeepsItsScaling() throws IOException {
        String architecture = Files.readString(Path.of("config/model.json")).replace("\"sensor\"", "\"window\"");
        Forecaster old = ModelCodec.decode(architecture.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0);
        assertEquals(new Scaling.Window(), old.scaling());
        Forecaster copy = ModelCodec.decode(ModelCodec.write(ModelCodec.toDocument(old)), 0);
        assertEquals(new Scaling.Window(), copy.scaling());
        assertEquals(old.forecast(new double[] {1, 2, 4}), copy.forecast(new double[] {1, 2, 4}));
    }

    @Test
    void aClipThatIsNotPositiveIsRefusedWithItsValue() {
        ModelDocument.ScalingSpec spec = new ModelDocument.ScalingSpec("sensor", null, null, -1.0);
        String message = assertThrows(ModelFormatException.class, () -> Scaling.fromSpec(spec)).getMessage();
        assertEquals("scaling: kind 'sensor' needs a clip > 0, got -1.0", message);
    }

    @Test
    void theWindowsOfASeriesCarryTheContextTheStreamGivesThem() {
        double[] series = {4, 6, 5, 9, 1, 0, 0, 0, 7};
        TrainingSet set = TrainingSet.windows(series, 3);
        assertEquals(series.length - 3, set.size());
        for (int i = 0; i < set.size(); i++) {
            // row i's last value is series[i + 2]: the stream forecasts it with the statistics of series[0 .. i+2]
            SensorStats stats = SensorStats.of(java.util.Arrays.copyOfRange(series, 0, i + 3));
            assertEquals(stats.level(), set.level(i), 1e-12);
            assertEquals(stats.stepRms(), set.stepRms(i), 1e-12);
        }
        TrainingSet slice = set.slice(2, 4);
        assertEquals(set.level(2), slice.level(0));
        assertEquals(set.stepRms(3), slice.stepRms(1));
    }

    @Test
    void walkForwardEvaluationForecastsEachWindowInTheContextOfTheSeriesBeforeIt() throws IOException {
        Forecaster model = ModelCodec.decode(Files.readAllBytes(Path.of("config/model.json")), 3);
        double[] series = {4, 6, 5, 9, 1, 0, 0, 0, 7};
        TrainingSet set = TrainingSet.windows(series, 3);
        WalkForwardEvaluation.Accuracy expected = new WalkForwardEvaluation.Accuracy();
        for (int i = 0; i < set.size(); i++) {
            expected.add(model.forecast(set.inputs(), i * 3, set.level(i), set.stepRms(i)), series[i + 2],
                    series[i + 3]);
        }
        WalkForwardEvaluation.Accuracy actual = WalkForwardEvaluation.evaluate(model, series);
        assertEquals(expected.count(), actual.count());
        assertEquals(expected.rmse(), actual.rmse(), 1e-12);
    }

    @Test
    void aBatchInItsSensorsContextsForecastsExactlyAsOneWindowAtATime() throws IOException {
        Forecaster model = ModelCodec.decode(Files.readAllBytes(Path.of("config/model.json")), 4);
        double[] windows = {0, 0, 0, 10, 12, 11, 1000, 1010, 990};
        double[] levels = {2.5, 11.5, 1001};
        double[] stepRms = {8, 1.5, 12};
        double[] batch = new double[3];
        model.forecastBatch(windows, levels, stepRms, 3, batch);
        for (int k = 0; k < 3; k++) {
            assertEquals(model.forecast(windows, 3 * k, levels[k], stepRms[k]), batch[k], 1e-9);
        }
    }

    @Test
    void theGateMeasuresErrorsInEachSamplesTypicalSteps() {
        TrainingSet samples = new TrainingSet(3);
        // a sensor at level 10,000 stepping by 1,000 and one at level 10 stepping by 1: both naive errors are one step
        samples.add(new double[] {10_000, 11_000, 10_000}, 0, 10_300, 1_000, 11_000);
        samples.add(new double[] {10, 11, 10}, 0, 10.3, 1, 11);
        assertEquals(1.0, ChallengerTrainer.scaledNaiveRmse(samples), 1e-12);
        assertEquals(Math.sqrt((1_000_000 + 1) / 2.0), ChallengerTrainer.naiveRmse(samples), 1e-9);
    }
}
