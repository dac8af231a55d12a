package dev.streamcast.bench.e2e;

import java.util.Locale;

/**
 * The synthetic sensors of the benchmark: reading {@code i} belongs to sensor {@code i % sensors} (round robin, so
 * every sensor's window fills at the same pace) and is that sensor's step {@code i / sensors}. Values are a slow
 * sine at a per-sensor level and phase plus a small deterministic wobble, written as a plain number, the simplest
 * reading format the readings topic accepts (docs/design.md, "Readings: what is accepted").
 *
 * <p>{@link #daily} sensors read once an hour, from 2026-01-01T00:00Z, a daily cycle: each value is a JSON reading
 * with its own timestamp, so that every sensor learns its cadence and its day (model.SensorSeason) and the stream
 * takes the seasonal path once the day is confirmed.
 */
final class Readings {

    /** 2026-01-01T00:00:00Z: the daily sensors' first reading. */
    static final long DAILY_START_MS = 1_767_225_600_000L;
    static final long HOUR_MS = 3_600_000L;

    private final String[] sensorIds;
    private final boolean daily;

    Readings(int sensors) {
        this(sensors, false);
    }

    /** Sensors with a daily cycle, read hourly, each reading carrying its timestamp. */
    static Readings daily(int sensors) {
        return new Readings(sensors, true);
    }

    private Readings(int sensors, boolean daily) {
        this.daily = daily;
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

    /**
     * The value of reading {@code i}, e.g. {@code "21.437"}; for a daily sensor
     * {@code {"value":21.437,"timestamp":1767229200000}}.
     */
    String value(long i) {
        int sensor = (int) (i % sensorIds.length);
        long step = i / sensorIds.length;
        // v = level + 5 sin(2 pi step / period + phase) + 0.3 sin(1.7 step + 0.31 sensor): a slow sine of 60 readings,
        // or a day of 24 hourly readings
        double period = daily ? 24 : 60;
        double v = 20 + sensor % 50 + 5 * Math.sin(2 * Math.PI * step / period + sensor)
                + 0.3 * Math.sin(step * 1.7 + sensor * 0.31);
        // Three decimals, like a real sensor's; Double.toString of the rounded value is cheap and exact enough.
        String value = Double.toString(Math.round(v * 1000) / 1000.0);
        return daily ? "{\"value\":" + value + ",\"timestamp\":" + (DAILY_START_MS + step * HOUR_MS) + "}" : value;
    }
}
