package dev.streamcast.cli.runtime;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo's sensors: realistic series of different kinds, so one model has to serve levels of different
 * magnitudes, trends, daily cycles, noise and negative values. Each reading step stands for five simulated
 * minutes of the series' shape, so a daily cycle takes 288 readings.
 *
 * <pre>
 *   value(step) = level + trend * step + amplitude * sin(2 pi step / 288 + phase) + noise * N(0, 1)
 * </pre>
 * One reading in {@code badEvery} is a bad record (broken JSON, NaN, a number as text, a missing key), which the
 * service must send to the dead-letter topic without stopping.
 */
public final class DemoSensors {

    private static final int STEPS_PER_DAY = 288;
    private static final String[] BAD_VALUES = {"{\"value\": ", "NaN", "\"21.5\"", "{\"temperature\": 3}", "1e400"};

    /** One simulated sensor. */
    public record Sensor(String id, double level, double trend, double amplitude, double phase, double noise) {
        double value(long step, SplittableRandom random) {
            return level + trend * step + amplitude * Math.sin(2 * Math.PI * step / STEPS_PER_DAY + phase)
                    + noise * random.nextGaussian();
        }
    }

    public static final List<Sensor> SENSORS = List.of(
            new Sensor("greenhouse-temperature", 21.0, 0.0, 6.0, 0.0, 0.15),
            new Sensor("office-temperature", 22.5, 0.0, 1.5, 1.0, 0.05),
            new Sensor("freezer-temperature", -18.0, 0.0, 0.8, 2.0, 0.1),
            new Sensor("barometer-pressure-hpa", 1013.0, -0.01, 2.0, 0.5, 0.05),
            new Sensor("greenhouse-humidity", 55.0, 0.0, 12.0, 3.1, 0.3),
            new Sensor("cleanroom-humidity", 40.0, 0.0, 0.05, 0.0, 0.005),
            new Sensor("energy-meter-kwh", 12000.0, 0.8, 0.5, 0.0, 0.05),
            new Sensor("river-level-m", 2.4, 0.001, 0.3, 1.7, 0.01),
            new Sensor("solar-power-w", 400.0, 0.0, 400.0, -1.57, 10.0),
            new Sensor("battery-current-a", -3.0, 0.0, 2.0, 0.8, 0.1));

    private final SplittableRandom random;
    private final int badEvery;
    private long count;

    public DemoSensors(long seed, int badEvery) {
        this.random = new SplittableRandom(seed);
        this.badEvery = badEvery;
    }

    /** One record to publish: key (null for a missing key) and value text. */
    public record Reading(String key, String value) {
    }

    /** The reading of {@code sensor} at {@code step} with the given epoch-millisecond timestamp, or a bad record. */
    public Reading next(Sensor sensor, long step, long timestampMs) {
        count++;
        if (badEvery > 0 && count % badEvery == 0) {
            int kind = random.nextInt(BAD_VALUES.length + 1);
            return kind == BAD_VALUES.length ? new Reading(null, "1.0") : new Reading(sensor.id(), BAD_VALUES[kind]);
        }
        double value = sensor.value(step, random);
        return new Reading(sensor.id(), "{\"value\": " + value + ", \"timestamp\": " + timestampMs + "}");
    }
}
