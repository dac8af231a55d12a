package dev.streamcast.backtest;

import dev.streamcast.input.ReadingParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One reading of a sensor's history, as a CSV row gives it: the sensor, when, and the value.
 *
 * @param timestamp epoch milliseconds
 */
public record SensorReading(String sensorId, long timestamp, double value) {

    /** The readings in timestamp order; readings with the same timestamp keep their order in {@code readings}. */
    public static List<SensorReading> inTimestampOrder(List<SensorReading> readings) {
        // List.sort is a stable merge sort: ties stay in file order.
        List<SensorReading> sorted = new ArrayList<>(readings);
        sorted.sort(Comparator.comparingLong(SensorReading::timestamp));
        return sorted;
    }

    /**
     * The value of the reading's record on the readings topic: {@code {"value":21.5,"timestamp":"..."}}, the
     * timestamp in ISO-8601, so the reading keeps its own time whatever the record's timestamp is.
     */
    public byte[] toJson() {
        return ReadingParser.toJson(value, timestamp);
    }
}
