package dev.streamcast.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Everything a scenario's producer will send, decided before the first record goes out, in send order: valid
 * readings in rounds (round r holds reading r of every sensor, sensors shuffled within the round), with each
 * sensor's timestamps strictly increasing (one minute apart, in the recent past) so the expected outputs are exact;
 * optionally malformed records and exact redeliveries (a reading sent twice in a row) mixed in.
 */
final class TrafficPlan {

    enum Kind { VALID, BAD, DUPLICATE }

    /**
     * One record to send: {@code key} and {@code payload} are its bytes. For VALID and DUPLICATE, {@code sensor},
     * {@code index} (the reading's number within its sensor), {@code timestamp} and {@code reading} (the value) are
     * set; for BAD, {@code bad}.
     */
    record Item(Kind kind, byte[] key, byte[] payload, String sensor, int index, long timestamp, double reading,
                MalformedRecords.Bad bad) {
    }

    static final long STEP_MS = 60_000;

    private final List<Item> items;
    private final List<Integer> roundStarts;
    private final List<String> sensors;
    private final long baseTimestamp;

    private TrafficPlan(List<Item> items, List<Integer> roundStarts, List<String> sensors, long baseTimestamp) {
        this.items = items;
        this.roundStarts = roundStarts;
        this.sensors = sensors;
        this.baseTimestamp = baseTimestamp;
    }

    static String sensorId(int s) {
        return String.format("sensor-%06d", s);
    }

    /** The value of a sensor's reading {@code i}: a slow sine at the sensor's own level and phase, 4 decimals. */
    static double value(int sensor, int i) {
        double level = 10 + (sensor % 97) * 3.0;
        double v = level + 5 * Math.sin(2 * Math.PI * i / 24.0 + sensor * 0.7) + 0.3 * Math.sin(i * 1.3 + sensor);
        return Math.round(v * 10_000) / 10_000.0;
    }

    /**
     * @param sensorCount       sensors
     * @param readingsPerSensor valid readings of each sensor
     * @param malformed         malformed records mixed in after the first round (so a late one has a reading to be
     *                          late against)
     * @param duplicates        readings sent twice in a row (the second must be dropped silently)
     */
    static TrafficPlan build(int sensorCount, int readingsPerSensor, int malformed, int duplicates, long seed) {
        return build(sensorCount, readingsPerSensor, malformed, duplicates, seed, System.currentTimeMillis());
    }

    /** The same plan as it was built at {@code now} (epoch ms): a plan recorded earlier, built again. */
    static TrafficPlan build(int sensorCount, int readingsPerSensor, int malformed, int duplicates, long seed,
                             long now) {
        Random random = new Random(seed);
        // In the recent past: the last reading is a few minutes old, the first at most a few days.
        long base = (now - (readingsPerSensor + 10L) * STEP_MS) / STEP_MS * STEP_MS;
        List<String> sensors = new ArrayList<>(sensorCount);
        for (int s = 0; s < sensorCount; s++) {
            sensors.add(sensorId(s));
        }
        List<Item> valid = new ArrayList<>(sensorCount * readingsPerSensor);
        List<Integer> order = new ArrayList<>(sensorCount);
        for (int s = 0; s < sensorCount; s++) {
            order.add(s);
        }
        List<Integer> validRoundStarts = new ArrayList<>();
        for (int i = 0; i < readingsPerSensor; i++) {
            validRoundStarts.add(valid.size());
            Collections.shuffle(order, random);
            for (int s : order) {
                long timestamp = base + i * STEP_MS + s % 1000;
                double value = value(s, i);
                valid.add(new Item(Kind.VALID, utf8(sensors.get(s)), utf8("{\"value\": " + value
                        + ", \"timestamp\": " + timestamp + "}"), sensors.get(s), i, timestamp, value, null));
            }
        }
        // Where each extra record goes: after valid item number `at` (at >= sensorCount for records that need the
        // sensor to have a reading already: the whole first round precedes them).
        List<List<Item>> after = new ArrayList<>(Collections.nCopies(valid.size(), null));
        MalformedRecords generator = new MalformedRecords(random, sensors, now);
        for (MalformedRecords.Bad bad : generator.generate(malformed)) {
            int at = sensorCount + random.nextInt(Math.max(1, valid.size() - sensorCount));
            at = Math.min(at, valid.size() - 1);
            insert(after, at, new Item(Kind.BAD, bad.key(), bad.value(), null, -1, 0, 0, bad));
        }
        for (int d = 0; d < duplicates; d++) {
            int at = random.nextInt(valid.size());
            Item original = valid.get(at);
            insert(after, at, new Item(Kind.DUPLICATE, original.key(), original.payload(), original.sensor(),
                    original.index(), original.timestamp(), original.reading(), null));
        }
        List<Item> items = new ArrayList<>(valid.size() + malformed + duplicates);
        List<Integer> roundStarts = new ArrayList<>();
        int round = 0;
        for (int v = 0; v < valid.size(); v++) {
            if (round < validRoundStarts.size() && validRoundStarts.get(round) == v) {
                roundStarts.add(items.size());
                round++;
            }
            items.add(valid.get(v));
            if (after.get(v) != null) {
                // Redeliveries first: right after their original, before anything else of that sensor.
                after.get(v).stream().filter(x -> x.kind() == Kind.DUPLICATE).forEach(items::add);
                after.get(v).stream().filter(x -> x.kind() != Kind.DUPLICATE).forEach(items::add);
            }
        }
        roundStarts.add(items.size());
        return new TrafficPlan(List.copyOf(items), List.copyOf(roundStarts), List.copyOf(sensors), base);
    }

    private static void insert(List<List<Item>> after, int at, Item item) {
        if (after.get(at) == null) {
            after.set(at, new ArrayList<>(2));
        }
        after.get(at).add(item);
    }

    List<Item> items() {
        return items;
    }

    int size() {
        return items.size();
    }

    /** The index of the first item of round {@code r} (r = rounds() gives size()). */
    int roundStart(int r) {
        return roundStarts.get(r);
    }

    int rounds() {
        return roundStarts.size() - 1;
    }

    List<String> sensors() {
        return sensors;
    }

    long baseTimestamp() {
        return baseTimestamp;
    }

    long count(Kind kind) {
        return items.stream().filter(i -> i.kind() == kind).count();
    }

    Set<String> badKinds() {
        Set<String> kinds = new java.util.TreeSet<>();
        items.stream().filter(i -> i.kind() == Kind.BAD).forEach(i -> kinds.add(i.bad().kind()));
        return kinds;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
