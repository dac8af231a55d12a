package dev.streamcast.bench.e2e;

import java.util.Locale;

/**
 * The synthetic sensors of the benchmark: reading {@code i} belongs to sensor {@code i % sensors} (round robin, so
 * every sensor's window fills at the same pace) and is that sensor's step {@code i / sensors}. Values are a slow
 * sine at a per-sensor level and phase plus a small deterministic wobble, written as a plain number, the simplest
 * reading format the readings topic accepts (docs/design.md, "Readings: what is accepted").
 */
final class Readings {

    private final String[] sensorIds;

    Readings(int sensors) {
        sensorIds = new String[sensors];
        int digits = Integer.toString(sensors - 1).length();
        for (int s = 0; s < sensors; s++) {
            sensorIds[s] = String.format(Locale.ROOT, "sensor-%0" + digits + "d", s);
        }
    }

    int sensors() {
        return sensorIds.length;
    }

    /** The key of reading {@code i}. */
    String sensorId(long i) {
        return sensorIds[(int) (i % sensorIds.length)];
    }

    /** The value of reading {@code i}, e.g. {@code "21.437"}. */
    String value(long i) {
        int sensor = (int) (i % sensorIds.length);
        long step = i / sensorIds.length;
        double v = 20 + sensor % 50 + 5 * Math.sin(2 * Math.PI * step / 60.0 + sensor)
                + 0.3 * Math.sin(step * 1.7 + sensor * 0.31);
        // Three decimals, like a real sensor's; Double.toString of the rounded value is cheap and exact enough.
        return Double.toString(Math.round(v * 1000) / 1000.0);
    }
}
