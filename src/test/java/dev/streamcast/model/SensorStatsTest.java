package dev.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SensorStatsTest {

    @Test
    void theFirstReadingsGiveThePlainMeanAndThePlainMeanSquareStep() {
        SensorStats stats = SensorStats.of(new double[] {2, 4, 3});
        assertEquals(3, stats.count());
        assertEquals(3.0, stats.last());
        assertEquals(3.0, stats.level(), 1e-12);
        // steps +2 and -1: mean square (4 + 1) / 2
        assertEquals(2.5, stats.meanSquaredStep(), 1e-12);
        assertEquals(Math.sqrt(2.5), stats.stepRms(), 1e-12);
    }

    @Test
    void aSensorWithOneReadingHasItsLevelAndNoStepYet() {
        SensorStats stats = SensorStats.EMPTY.next(7);
        assertEquals(7.0, stats.level());
        assertEquals(0.0, stats.stepRms());
    }

    @Test
    void onceWarmedUpLevelAndStepAreExponentialAveragesOverTheirReadings() {
        SensorStats stats = SensorStats.EMPTY;
        for (int i = 0; i < 1000; i++) {
            stats = stats.next(10);
        }
        SensorStats after = stats.next(40);
        assertEquals(10 + (40 - 10.0) / SensorStats.LEVEL_READINGS, after.level(), 1e-9);
        assertEquals(30.0 * 30.0 / SensorStats.STEP_READINGS, after.meanSquaredStep(), 1e-9);
    }

    @Test
    void aFlatRunKeepsTheScaleTheSensorHadForAboutStepReadings() {
        SensorStats stats = SensorStats.EMPTY;
        for (int i = 0; i < 200; i++) {
            stats = stats.next(i % 2 == 0 ? 0 : 4);
        }
        for (int i = 0; i < 3; i++) {
            stats = stats.next(0);
        }
        // three dry days do not make a rain gauge's scale zero, unlike a window's own steps
        assertEquals(4.0, stats.stepRms(), 0.1);
    }

    @Test
    void thePrimitiveUpdateGivesTheSameNumbersAsTheRecord() {
        double[] readings = {5, 5.5, 4, 9, -2, 0, 0, 0, 3.25};
        SensorStats stats = SensorStats.EMPTY;
        long count = 0;
        double last = 0;
        double level = 0;
        double q = 0;
        for (double x : readings) {
            stats = stats.next(x);
            double nextLevel = SensorStats.nextLevel(count, level, x);
            q = SensorStats.nextMeanSquaredStep(count, q, last, x);
            level = nextLevel;
            last = x;
            count++;
        }
        assertEquals(new SensorStats(count, last, level, q), stats);
    }

    @Test
    void aWindowAloneGivesTheStatisticsOfASensorWhoseHistoryIsThatWindow() {
        double[] values = {99, 1, 2, 4, 99};
        SensorStats stats = SensorStats.of(new double[] {1, 2, 4});
        assertEquals(stats.level(), SensorStats.levelOf(values, 1, 3), 1e-15);
        assertEquals(stats.stepRms(), SensorStats.stepRmsOf(values, 1, 3), 1e-15);
    }
}
