package dev.streamcast.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.bench.e2e.DrainTimer.Drained;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ThroughputComparisonTest {

    @Test
    void warmUpRoundsGoOnWhileTheJitTakesATenthOrMoreOfTheForecastingDrainsCpu() {
        assertFalse(ThroughputComparison.isSteady(drain(30, 10)), "a third: another round");
        assertFalse(ThroughputComparison.isSteady(drain(20, 2)), "exactly a tenth: another round");
        assertTrue(ThroughputComparison.isSteady(drain(20, 1.9)));
        assertTrue(ThroughputComparison.isSteady(drain(20, 0)));
        assertTrue(ThroughputComparison.isSteady(drain(20, Double.NaN)), "no per-thread accounting: no more rounds");
    }

    private static Drained drain(double cpuUsPerReading, double jitCpuUsPerReading) {
        return new Drained(50_000, 50_000, cpuUsPerReading, jitCpuUsPerReading, 0);
    }
}
