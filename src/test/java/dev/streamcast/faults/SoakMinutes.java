package dev.streamcast.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The soak's verdict on its minutes. A minute passes when forecasts kept coming: at least {@value #MIN_SHARE} of the
 * readings produced in it came back as forecasts within it (from minute 2: in minute 1 the latency consumer joins
 * its group) and its p99 latency is a number (a minute without forecasts has none). The run passes when every
 * minute does and no figure grew: the median of the last sixth of the minutes at most {@code tolerance} times that of
 * the second sixth.
 */
final class SoakMinutes {

    /** The share of a minute's readings that must come back as forecasts within the minute. */
    static final double MIN_SHARE = 0.9;
    /** The figures compared between the second and the last sixth of the run. */
    static final List<String> GROWTH_FIGURES = List.of("live heap MB", "resident MB", "open files", "threads",
            "p99 ms");

    /**
     * One minute's figures.
     *
     * @param produced  readings the producer sent in the minute
     * @param forecasts forecasts the read_committed consumer saw in the minute
     * @param figures   by name: those of {@link #GROWTH_FIGURES}
     */
    record Minute(int number, long produced, long forecasts, Map<String, Double> figures) {
    }

    private SoakMinutes() {
    }

    /** What is wrong with the run, one line each; empty when it passes. */
    static List<String> problems(List<Minute> minutes, double tolerance) {
        List<String> problems = new ArrayList<>();
        for (Minute m : minutes) {
            problems.addAll(problems(m));
        }
        int sixth = minutes.size() / 6;
        if (sixth == 0) {
            problems.add("a run of " + minutes.size() + " minutes is too short to compare a sixth with another");
            return problems;
        }
        Map<String, Double> early = medians(minutes.subList(sixth, 2 * sixth));
        Map<String, Double> late = medians(minutes.subList(minutes.size() - sixth, minutes.size()));
        for (String figure : GROWTH_FIGURES) {
            // Written so that a NaN (a figure missing from a minute) fails instead of comparing false.
            if (!(late.get(figure) <= early.get(figure) * tolerance)) {
                problems.add(figure + " grew: " + early.get(figure) + " -> " + late.get(figure));
            }
        }
        return problems;
    }

    /** What is wrong with one minute. */
    static List<String> problems(Minute m) {
        List<String> problems = new ArrayList<>();
        if (m.forecasts() == 0) {
            problems.add("minute " + m.number() + ": no forecast (" + m.produced() + " readings produced)");
        } else if (m.number() > 1 && m.forecasts() < MIN_SHARE * m.produced()) {
            problems.add("minute " + m.number() + ": " + m.forecasts() + " forecasts for " + m.produced()
                    + " readings produced (at least " + MIN_SHARE + " of them must come back)");
        }
        for (String figure : GROWTH_FIGURES) {
            Double value = m.figures().get(figure);
            if (value == null || !Double.isFinite(value)) {
                problems.add("minute " + m.number() + ": " + figure + " is " + value);
            }
        }
        return problems;
    }

    static Map<String, Double> medians(List<Minute> minutes) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String figure : GROWTH_FIGURES) {
            double[] values = minutes.stream().mapToDouble(m -> m.figures().getOrDefault(figure, Double.NaN))
                    .sorted().toArray();
            out.put(figure, values.length % 2 == 1 ? values[values.length / 2]
                    : (values[values.length / 2 - 1] + values[values.length / 2]) / 2);
        }
        return out;
    }
}
