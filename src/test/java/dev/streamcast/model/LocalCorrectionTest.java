package dev.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class LocalCorrectionTest {

    private static final double LAMBDA = 1 - 1.0 / 1000;

    /**
     * Feeds {@code series} through a correction of a naive "network" (its forecast is the last value), as the stream
     * does: correct the pending forecast, then learn from the reading. Returns {model squared error sum, naive sum}
     * over the readings from {@code scoreFrom} on.
     */
    private static double[] run(LocalCorrection correction, double[] series, int scoreFrom) {
        double[] window = new double[3];
        SensorStats stats = SensorStats.EMPTY;
        double model = 0;
        double naive = 0;
        for (int i = 0; i < series.length; i++) {
            if (i >= 3) {
                window[0] = series[i - 3];
                window[1] = series[i - 2];
                window[2] = series[i - 1];
                double forecast = correction.correctPending(window, 0, stats.level(), stats.stepRms(), window[2]);
                if (i >= scoreFrom) {
                    model += (series[i] - forecast) * (series[i] - forecast);
                    naive += (series[i] - window[2]) * (series[i] - window[2]);
                }
                correction.learn(window, 0, stats.level(), stats.stepRms(), series[i], LAMBDA);
            }
            stats = stats.next(series[i]);
        }
        return new double[] {model, naive};
    }

    /** The same window, forecast and reading {@code times} times over: forecast, then learn, as the stream does. */
    private static void repeat(LocalCorrection correction, double[] window, double level, double stepRms,
                               double networkForecast, double actual, int times) {
        for (int i = 0; i < times; i++) {
            correction.correctPending(window, 0, level, stepRms, networkForecast);
            correction.learn(window, 0, level, stepRms, actual, LAMBDA);
        }
    }

    /** x_t = 50 + 0.3 (x_{t-1} - 50) + noise: the next reading returns most of the way to the level. */
    private static double[] meanReverting(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n];
        x[0] = 50;
        for (int t = 1; t < n; t++) {
            x[t] = 50 + 0.3 * (x[t - 1] - 50) + 2 * (random.nextDouble() - 0.5) * 3;
        }
        return x;
    }

    @Test
    void itLearnsWhatTheNetworkMissesOnASensorThatReturnsToItsLevel() {
        LocalCorrection correction = new LocalCorrection(3);
        double[] errors = run(correction, meanReverting(3000, 7), 1000);
        // the last value carries all of x_{t-1}'s distance from the level; the corrected forecast returns it, up to
        // the one typical step the correction may move
        assertTrue(errors[0] < 0.8 * errors[1], "corrected " + errors[0] + " against naive " + errors[1]);
        assertEquals(2997, correction.updates());
        assertTrue(correction.weight(3) < -0.1, "the last value's distance from the level pulls back: "
                + correction.weight(3));
    }

    @Test
    void onAPersistentSeriesItStaysNextToTheNetwork() {
        // a random walk: the last value is the best forecast there is, so the correction must learn to stay near 0
        SplittableRandom random = new SplittableRandom(3);
        double[] walk = new double[3000];
        for (int t = 1; t < walk.length; t++) {
            walk[t] = walk[t - 1] + random.nextDouble() - 0.5;
        }
        double[] errors = run(new LocalCorrection(3), walk, 1000);
        assertTrue(errors[0] < 1.03 * errors[1], "corrected " + errors[0] + " against naive " + errors[1]);
    }

    @Test
    void theCorrectionMovesAForecastByAtMostOneTypicalStep() {
        LocalCorrection correction = new LocalCorrection(3);
        double[] window = {10, 10, 10};
        // a network that is always 100 typical steps short: the correction saturates at one step
        repeat(correction, window, 10, 1.0, 10, 110, 500);
        assertEquals(11.0, correction.corrected(window, 0, 10, 1.0, 10), 1e-12);
        assertEquals(8.0, correction.corrected(window, 0, 10, 2.0, 6), 1e-12, "u = 2: 6 + 2");
    }

    @Test
    void aLongFlatSpellDoesNotWindUpTheWeights() {
        LocalCorrection correction = new LocalCorrection(3);
        repeat(correction, new double[] {0, 0, 0}, 0.5, 1.0, 0, 0, 20_000);
        // then the rain starts: without the trace cap, P would have grown by e^20 in the unexcited directions and this
        // one reading would throw the weights far
        repeat(correction, new double[] {0, 0, 4}, 0.5, 1.0, 4, 10, 1);
        for (int j = 0; j < 5; j++) {
            assertTrue(Math.abs(correction.weight(j)) < 0.5, "weight " + j + " = " + correction.weight(j));
        }
    }

    @Test
    void withoutAPendingModelForecastNothingIsLearned() {
        LocalCorrection correction = new LocalCorrection(3);
        double[] window = {1, 2, 3};
        correction.correctPending(window, 0, 2, 1, Double.NaN);
        correction.learn(window, 0, 2, 1, 10, LAMBDA);
        correction.correctPending(window, 0, 2, 1, 3);
        correction.dropPending();
        correction.learn(window, 0, 2, 1, 10, LAMBDA);
        assertEquals(0, correction.updates());
        assertEquals(3.0, correction.corrected(window, 0, 2, 1, 3));
    }

    @Test
    void whatIsWrittenIsReadBackAndAnotherWindowLengthStartsOver() {
        LocalCorrection correction = new LocalCorrection(3);
        run(correction, meanReverting(400, 1), 0);
        ByteBuffer buffer = ByteBuffer.allocate(correction.bytes());
        correction.write(buffer);
        assertEquals(correction.bytes(), buffer.position());

        LocalCorrection read = new LocalCorrection(3);
        buffer.flip();
        read.read(buffer);
        ByteBuffer again = ByteBuffer.allocate(read.bytes());
        read.write(again);
        assertArrayEquals(buffer.array(), again.array());
        assertEquals(correction.updates(), read.updates());

        LocalCorrection longer = new LocalCorrection(5);
        buffer.rewind();
        longer.read(buffer);
        assertEquals(correction.bytes(), buffer.position(), "the stored correction is skipped whole");
        assertEquals(0, longer.updates());
        assertEquals(0.0, longer.weight(0));
    }
}
