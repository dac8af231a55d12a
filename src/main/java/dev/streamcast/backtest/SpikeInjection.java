package dev.streamcast.backtest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spikes put into each series to check that anomalies are flagged (issue 12): {@code perSeries} readings of each
 * series' scored part, evenly spaced over it (so at least 20 readings apart when the part has 20 x perSeries
 * readings), each replaced by the series' previous value plus 10 times the RMS of the series' steps before the
 * scored part. Deterministic: the same file gives the same spikes.
 */
final class SpikeInjection {

    static final double SPIKE_STEPS = 10;

    private final List<SensorReading> readings;
    private final Set<String> spiked;

    private SpikeInjection(List<SensorReading> readings, Set<String> spiked) {
        this.readings = readings;
        this.spiked = spiked;
    }

    /** No spikes: the readings as they are. */
    static SpikeInjection none(List<SensorReading> readings) {
        return new SpikeInjection(readings, Set.of());
    }

    /** @param readings any order; each series is taken in timestamp order */
    static SpikeInjection inject(List<SensorReading> readings, double scoreFrom, int perSeries) {
        if (perSeries <= 0) {
            return none(readings);
        }
        Map<String, List<SensorReading>> series = new LinkedHashMap<>();
        for (SensorReading r : SensorReading.inTimestampOrder(readings)) {
            series.computeIfAbsent(r.sensorId(), k -> new ArrayList<>()).add(r);
        }
        Map<String, SensorReading> replaced = new LinkedHashMap<>();
        for (List<SensorReading> s : series.values()) {
            int from = (int) Math.floor(scoreFrom * s.size());
            int scoredPart = s.size() - from;
            if (from < 2 || scoredPart < perSeries) {
                continue;
            }
            double squares = 0;
            for (int i = 1; i < from; i++) {
                double d = s.get(i).value() - s.get(i - 1).value();
                squares += d * d;
            }
            double rmsStep = Math.sqrt(squares / (from - 1));
            for (int k = 0; k < perSeries; k++) {
                int index = from + (int) ((k + 0.5) * scoredPart / perSeries);
                SensorReading original = s.get(index);
                double spike = s.get(index - 1).value() + SPIKE_STEPS * rmsStep;
                replaced.put(key(original.sensorId(), original.timestamp()),
                        new SensorReading(original.sensorId(), original.timestamp(), spike));
            }
        }
        List<SensorReading> out = new ArrayList<>(readings.size());
        for (SensorReading r : readings) {
            out.add(replaced.getOrDefault(key(r.sensorId(), r.timestamp()), r));
        }
        return new SpikeInjection(out, new HashSet<>(replaced.keySet()));
    }

    /** The readings with the spikes in place, in the original order. */
    List<SensorReading> readings() {
        return readings;
    }

    boolean isSpike(String sensorId, long timestamp) {
        return spiked.contains(key(sensorId, timestamp));
    }

    private static String key(String sensorId, long timestamp) {
        return sensorId + '\u0000' + timestamp;
    }
}
