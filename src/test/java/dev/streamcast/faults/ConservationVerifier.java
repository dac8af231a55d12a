package dev.streamcast.faults;

import dev.streamcast.testing.WrittenNumbers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks conservation: what Streamcast wrote (read with read_committed from the beginning) against what the load
 * producer sent.
 * <ul>
 *   <li>every valid reading is accounted for exactly once: a forecast whose window ends with it (its timestamp
 *       and the sensor's last window.length values), or it is one of its sensor's first window.length - 1
 *       readings (the start of the window);</li>
 *   <li>no forecast appears twice for one (sensor, reading timestamp), and none for anything else;</li>
 *   <li>every reading after the window's first full one is scored once (accuracy: the forecast made for it, as
 *       published on the forecasts topic) and becomes one training sample (the window before it, and it);</li>
 *   <li>every bad record is in the dead-letter topic exactly once, with its original key and bytes, a reason it
 *       may be refused for, and its source topic, partition and offset; no valid reading is there; a redelivered
 *       reading (same timestamp and value) leaves no trace;</li>
 *   <li>per model id, the versions of the valid models on the models topic never go backwards, and a version
 *       number is never given to two different models (the same model written again is fine).</li>
 * </ul>
 */
final class ConservationVerifier {

    private static final int EXAMPLES = 8;

    private final int windowLength;

    ConservationVerifier(int windowLength) {
        this.windowLength = windowLength;
    }

    /** What the check found: counts of each kind and a few examples of every problem. */
    static final class Report {
        final Map<String, Long> counts = new LinkedHashMap<>();
        final Map<String, List<String>> problems = new TreeMap<>();
        final Map<String, Long> problemCounts = new TreeMap<>();
        final Map<String, Long> deadLettersByReason = new TreeMap<>();
        final Map<String, List<Long>> modelVersions = new TreeMap<>();
        long invalidModels;
        /** The same model (version and weights) written again, e.g. after an unusable record under its key. */
        long republishedModels;

        void count(String what, long n) {
            counts.merge(what, n, Long::sum);
        }

        void problem(String kind, String example) {
            problemCounts.merge(kind, 1L, Long::sum);
            List<String> list = problems.computeIfAbsent(kind, k -> new ArrayList<>());
            if (list.size() < EXAMPLES) {
                list.add(example);
            }
        }

        boolean ok() {
            return problems.isEmpty();
        }

        String summary() {
            StringBuilder s = new StringBuilder();
            s.append(ok() ? "conservation holds" : "CONSERVATION VIOLATED").append(": ").append(counts);
            s.append("\n  dead letters by reason: ").append(deadLettersByReason);
            s.append("\n  valid models: ").append(modelVersions.entrySet().stream()
                    .map(e -> e.getKey() + " versions " + summarize(e.getValue())).toList());
            s.append(", invalid model records: ").append(invalidModels);
            if (republishedModels > 0) {
                s.append(", the same model written again: ").append(republishedModels).append(" times");
            }
            for (Map.Entry<String, List<String>> e : problems.entrySet()) {
                s.append("\n  ").append(e.getKey()).append(": ").append(problemCounts.get(e.getKey()))
                        .append(", e.g. ").append(e.getValue());
            }
            return s.toString();
        }

        private static String summarize(List<Long> versions) {
            if (versions.size() <= 12) {
                return versions.toString();
            }
            return versions.subList(0, 6) + "..." + versions.subList(versions.size() - 6, versions.size())
                    + " (" + versions.size() + ")";
        }

        long problemCount(String kind) {
            return problemCounts.getOrDefault(kind, 0L);
        }
    }

    private record Reading(int item, long timestamp, double value, int partition, long offset) {
    }

    private record SourceOffset(int partition, long offset) {
    }

    Report check(LoadProducer sent, OutputTopics out) {
        Report report = new Report();
        TrafficPlan plan = sent.plan();

        // What was sent and acknowledged, per sensor in send order; where every record landed.
        Map<String, List<Reading>> readings = new HashMap<>();
        Map<SourceOffset, TrafficPlan.Item> bad = new HashMap<>();
        Map<SourceOffset, TrafficPlan.Item> accepted = new HashMap<>();
        long validSent = 0;
        long duplicatesSent = 0;
        for (int i = 0; i < plan.size(); i++) {
            if (sent.offset(i) < 0) {
                continue;
            }
            TrafficPlan.Item item = plan.items().get(i);
            SourceOffset where = new SourceOffset(sent.partition(i), sent.offset(i));
            switch (item.kind()) {
                case VALID:
                    validSent++;
                    List<Reading> list = readings.computeIfAbsent(item.sensor(), s -> new ArrayList<>());
                    if (item.index() != list.size()) {
                        report.problem("gap in what was sent (the ledger is not exact)", item.sensor() + " reading "
                                + item.index() + " acknowledged after " + list.size() + " of its readings");
                    }
                    list.add(new Reading(i, item.timestamp(), item.reading(), where.partition(), where.offset()));
                    accepted.put(where, item);
                    break;
                case DUPLICATE:
                    duplicatesSent++;
                    accepted.put(where, item);
                    break;
                default:
                    bad.put(where, item);
            }
        }
        report.count("sensors", readings.size());
        report.count("valid readings sent", validSent);
        report.count("redeliveries sent", duplicatesSent);
        report.count("bad records sent", bad.size());

        checkForecasts(readings, out, report);
        checkAccuracy(readings, out, report);
        checkSamples(readings, out, report);
        checkDeadLetters(bad, accepted, out, report);
        checkModels(out, report);
        for (OutputTopics.Unreadable u : out.unreadable) {
            report.problem("unreadable output record", u.toString());
        }
        return report;
    }

    private record Key(String sensor, long timestamp) {
    }

    private void checkForecasts(Map<String, List<Reading>> readings, OutputTopics out, Report report) {
        Map<Key, OutputTopics.Forecast> seen = new HashMap<>();
        for (OutputTopics.Forecast f : out.forecasts) {
            Key key = new Key(f.sensor(), f.timestamp());
            if (seen.putIfAbsent(key, f) != null) {
                report.problem("forecast twice for one (sensor, reading timestamp)", f.sensor() + "@" + f.timestamp()
                        + " at offsets " + seen.get(key).offset() + " and " + f.offset() + " (partition "
                        + f.partition() + ")");
            }
            if (!Objects.equals(f.key(), f.sensor())) {
                report.problem("forecast keyed by something else than its sensor", f.key() + " vs " + f.sensor());
            }
        }
        long expected = 0;
        long windowStarts = 0;
        long matched = 0;
        for (Map.Entry<String, List<Reading>> e : readings.entrySet()) {
            String sensor = e.getKey();
            List<Reading> list = e.getValue();
            for (int i = 0; i < list.size(); i++) {
                Reading r = list.get(i);
                OutputTopics.Forecast f = seen.remove(new Key(sensor, r.timestamp()));
                if (i < windowLength - 1) {
                    windowStarts++;
                    if (f != null) {
                        report.problem("forecast before the window was full", sensor + " reading " + i + ": " + f);
                    }
                    continue;
                }
                expected++;
                if (f == null) {
                    report.problem("valid reading without its forecast (lost)", sensor + " reading " + i + " at "
                            + r.timestamp() + " (partition " + r.partition() + ", offset " + r.offset() + ")");
                    continue;
                }
                matched++;
                double[] window = new double[windowLength];
                for (int k = 0; k < windowLength; k++) {
                    window[k] = list.get(i - windowLength + 1 + k).value();
                }
                if (!Arrays.equals(window, f.window())) {
                    report.problem("forecast with the wrong window (a window started over or mixed)", sensor
                            + " reading " + i + ": expected " + Arrays.toString(window) + ", got "
                            + Arrays.toString(f.window()));
                }
                if (!Double.isFinite(f.forecast())) {
                    report.problem("forecast not a finite number", f.toString());
                }
            }
        }
        for (OutputTopics.Forecast f : seen.values()) {
            report.problem("forecast for no valid reading", f.sensor() + "@" + f.timestamp() + " partition "
                    + f.partition() + " offset " + f.offset());
        }
        report.count("window starts", windowStarts);
        report.count("forecasts expected", expected);
        report.count("forecasts read", out.forecasts.size());
        report.count("forecasts matched", matched);
        long lstm = out.forecasts.stream().filter(f -> "lstm".equals(f.model())).count();
        report.count("forecasts by a model", lstm);
    }

    private void checkAccuracy(Map<String, List<Reading>> readings, OutputTopics out, Report report) {
        Map<Key, OutputTopics.Forecast> forecasts = new HashMap<>();
        for (OutputTopics.Forecast f : out.forecasts) {
            forecasts.putIfAbsent(new Key(f.sensor(), f.timestamp()), f);
        }
        Map<Key, OutputTopics.Accuracy> seen = new HashMap<>();
        for (OutputTopics.Accuracy a : out.accuracy) {
            if (seen.putIfAbsent(new Key(a.sensor(), a.timestamp()), a) != null) {
                report.problem("accuracy twice for one (sensor, reading timestamp)", a.toString());
            }
        }
        long expected = 0;
        for (Map.Entry<String, List<Reading>> e : readings.entrySet()) {
            List<Reading> list = e.getValue();
            for (int i = windowLength; i < list.size(); i++) {
                expected++;
                Reading r = list.get(i);
                OutputTopics.Accuracy a = seen.remove(new Key(e.getKey(), r.timestamp()));
                if (a == null) {
                    report.problem("valid reading not scored (accuracy missing)", e.getKey() + " reading " + i);
                    continue;
                }
                if (a.actual() != r.value()) {
                    report.problem("accuracy with the wrong actual value", a + " expected " + r.value());
                }
                OutputTopics.Forecast made = forecasts.get(new Key(e.getKey(), list.get(i - 1).timestamp()));
                // To nine digits: a forecast published by a version that wrote every digit (9475919) is scored by one
                // that writes nine (WrittenNumbers).
                if (made != null && (!WrittenNumbers.isWritten(made.forecast(), a.forecast())
                        || made.modelVersion() != a.modelVersion())) {
                    report.problem("reading scored against another forecast than the one published", e.getKey()
                            + " reading " + i + ": published " + made.forecast() + " (v" + made.modelVersion()
                            + "), scored against " + a.forecast() + " (v" + a.modelVersion() + ")");
                }
            }
        }
        for (OutputTopics.Accuracy a : seen.values()) {
            report.problem("accuracy for no eligible reading", a.toString());
        }
        report.count("accuracy expected", expected);
        report.count("accuracy read", out.accuracy.size());
    }

    /**
     * Training samples travel in batches without the reading they came from (stream/SampleBatch), so they are
     * checked as a multiset of (window, value that followed): none for no eligible reading, none twice; a crash may
     * lose the batch a task had not sent yet, so the missing ones are counted ("samples lost"), and the scenario
     * bounds them.
     */
    private void checkSamples(Map<String, List<Reading>> readings, OutputTopics out, Report report) {
        Map<String, Long> expected = new HashMap<>();
        long expectedCount = 0;
        for (Map.Entry<String, List<Reading>> e : readings.entrySet()) {
            List<Reading> list = e.getValue();
            for (int i = windowLength; i < list.size(); i++) {
                double[] window = new double[windowLength];
                for (int k = 0; k < windowLength; k++) {
                    window[k] = list.get(i - windowLength + k).value();
                }
                expected.merge(Arrays.toString(window) + " -> " + list.get(i).value(), 1L, Long::sum);
                expectedCount++;
            }
        }
        long matched = 0;
        for (OutputTopics.Sample s : out.samples) {
            String key = Arrays.toString(s.window()) + " -> " + s.actual();
            Long left = expected.get(key);
            if (left == null || left == 0) {
                report.problem("training sample twice, or for no eligible reading", key);
                continue;
            }
            expected.put(key, left - 1);
            matched++;
        }
        report.count("samples expected", expectedCount);
        report.count("samples read", out.samples.size());
        report.count("samples lost", expectedCount - matched);
    }

    private void checkDeadLetters(Map<SourceOffset, TrafficPlan.Item> bad, Map<SourceOffset, TrafficPlan.Item> accepted,
                                  OutputTopics out, Report report) {
        Map<SourceOffset, OutputTopics.DeadLetter> seen = new HashMap<>();
        for (OutputTopics.DeadLetter d : out.deadLetters) {
            report.deadLettersByReason.merge(String.valueOf(d.reason()), 1L, Long::sum);
            if (d.reason() == null) {
                report.problem("dead letter without streamcast.error.reason", "DLQ offset " + d.offset()
                        + " headers " + d.headers().keySet() + " key " + printable(d.key()));
                continue;
            }
            if (!"sensor-readings".equals(d.sourceTopic()) || d.sourcePartition() < 0 || d.sourceOffset() < 0) {
                report.problem("dead letter without its source topic, partition and offset", d.headers().toString());
                continue;
            }
            SourceOffset where = new SourceOffset(d.sourcePartition(), d.sourceOffset());
            if (seen.putIfAbsent(where, d) != null) {
                report.problem("dead letter twice for one record", where + " reasons " + seen.get(where).reason()
                        + " and " + d.reason());
            }
            TrafficPlan.Item valid = accepted.get(where);
            if (valid != null) {
                report.problem("valid reading refused (" + d.reason() + ")", valid.sensor() + " reading "
                        + valid.index() + " " + valid.kind() + ": " + d.headers().get("streamcast.error.message"));
            }
        }
        long matched = 0;
        Map<String, Long> missingByKind = new TreeMap<>();
        for (Map.Entry<SourceOffset, TrafficPlan.Item> e : bad.entrySet()) {
            MalformedRecords.Bad b = e.getValue().bad();
            OutputTopics.DeadLetter d = seen.get(e.getKey());
            if (d == null) {
                missingByKind.merge(b.kind(), 1L, Long::sum);
                report.problem("bad record not in the dead-letter topic", b.describe() + " at " + e.getKey());
                continue;
            }
            matched++;
            if (!b.reasons().contains(d.reason())) {
                report.problem("bad record refused for an unexpected reason", b.describe() + " refused as '"
                        + d.reason() + "': " + d.headers().get("streamcast.error.message"));
            }
            if (!Arrays.equals(b.key(), d.key()) || !Arrays.equals(b.value(), d.value())) {
                report.problem("dead letter does not hold the original key and bytes", b.describe());
            }
        }
        for (Map.Entry<SourceOffset, OutputTopics.DeadLetter> e : seen.entrySet()) {
            if (!bad.containsKey(e.getKey()) && !accepted.containsKey(e.getKey())) {
                report.problem("dead letter for a record nobody sent", e.getKey() + " " + e.getValue().reason());
            }
        }
        report.count("dead letters expected", bad.size());
        report.count("dead letters read", out.deadLetters.size());
        report.count("dead letters matched", matched);
        if (!missingByKind.isEmpty()) {
            report.problem("bad records missing from the dead-letter topic, by kind", missingByKind.toString());
        }
    }

    private void checkModels(OutputTopics out, Report report) {
        Map<String, OutputTopics.Model> last = new HashMap<>();
        for (OutputTopics.Model m : out.models) {
            if (!m.valid()) {
                report.invalidModels++;
                continue;
            }
            report.modelVersions.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m.version());
            OutputTopics.Model previous = last.put(m.key(), m);
            if (previous == null) {
                continue;
            }
            if (m.version() < previous.version()) {
                report.problem("model version went backwards", m.key() + ": " + previous.version() + " then "
                        + m.version() + " at partition " + m.partition() + " offset " + m.offset());
            } else if (m.version() == previous.version() && m.weights() != previous.weights()) {
                report.problem("one model version published for two different models", m.key() + " version "
                        + m.version() + " at offsets " + previous.offset() + " and " + m.offset());
            } else if (m.version() == previous.version()) {
                report.republishedModels++;
            }
        }
        report.count("valid models", out.models.stream().filter(OutputTopics.Model::valid).count());
    }

    private static String printable(byte[] key) {
        if (key == null) {
            return "null";
        }
        String s = new String(key, StandardCharsets.UTF_8);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
