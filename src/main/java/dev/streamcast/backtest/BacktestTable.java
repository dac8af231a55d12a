package dev.streamcast.backtest;

import java.io.PrintWriter;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Prints a {@link BacktestReport} for people: a row per series and overall, the median skill, with forecast.horizon
 * H > 1 each series' skill and coverage per step (all steps up to {@value #ALL_STEPS_UP_TO}, beyond that steps 1,
 * H/4, H/2, 3H/4 and H), then the retrainings.
 */
public final class BacktestTable {

    private static final String ROW = "%-24s %8s %9s %8s %6s %10s %12s %12s %12s %8s %8s %11s %11s %8s %6s %8s%n";
    /** The longest horizon whose steps are all printed; the JSON has every step whatever H. */
    static final int ALL_STEPS_UP_TO = 8;
    private static final String STEP_CELL = "  %16s";

    private BacktestTable() {
    }

    public static void print(BacktestReport report, PrintWriter out) {
        out.printf("scored: each series' readings from %.0f %% on%n", report.scoreFrom() * 100);
        out.printf(ROW, "series", "readings", "forecasts", "scored", "model", "firstModel", "rmse", "mae",
                "naive_rmse", "skill", "coverage", "mean_width", "naive_width", "anomaly", "floor", "spikes");
        for (BacktestReport.SeriesResult s : report.series()) {
            row(out, s);
        }
        row(out, report.overall());
        out.printf("median skill over the series: %s%n", fixed(report.medianSkill(), 3));
        printSteps(report, out);
        long accepted = report.retrainings().stream().filter(r -> r.outcome().equals("accepted")).count();
        out.printf("retrainings: %d (%d accepted, %d not)%n", report.retrainings().size(), accepted,
                report.retrainings().size() - accepted);
        for (BacktestReport.Retraining r : report.retrainings()) {
            out.printf("  %s  %-24s %-8s v%-3d %s  challenger %s  champion %s  naive %s%n",
                    r.streamTime() == null ? "-" : r.streamTime(), r.modelId(), r.outcome(), r.version(),
                    samples(r), general(r.challengerRmse()),
                    general(r.championRmse()), general(r.naiveRmse()));
        }
        out.flush();
    }

    private static void row(PrintWriter out, BacktestReport.SeriesResult s) {
        out.printf(ROW, s.id(), s.readings(), s.forecasts(), s.scored(), percent(s.modelShare()),
                percent(s.firstModelAt()), general(s.rmse()), general(s.mae()), general(s.naiveRmse()),
                fixed(s.skill(), 4), percent(s.coverage()), general4(s.meanWidth()), general4(s.naiveWidth()),
                percent(s.anomalyRate()), percent(s.floorShare()),
                s.spikes() == 0 ? "-" : percent(s.spikeRecall()));
    }

    /** Per series, skill and coverage at the shown steps; nothing when every forecast reached one step only. */
    private static void printSteps(BacktestReport report, PrintWriter out) {
        int horizon = report.overall().steps().size();
        if (horizon <= 1) {
            return;
        }
        int[] shown = shownSteps(horizon);
        String which = horizon <= ALL_STEPS_UP_TO ? "1-" + horizon
                : IntStream.of(shown).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        out.printf("per horizon step, steps %s of %d (every step in --json): skill against the last value carried that "
                + "many steps, and coverage%n", which, horizon);
        StringBuilder header = new StringBuilder(String.format("%-24s", "series"));
        for (int step : shown) {
            header.append(String.format(STEP_CELL, "step " + step));
        }
        out.println(header);
        for (BacktestReport.SeriesResult s : report.series()) {
            stepRow(out, s, shown);
        }
        stepRow(out, report.overall(), shown);
    }

    private static void stepRow(PrintWriter out, BacktestReport.SeriesResult s, int[] shown) {
        StringBuilder row = new StringBuilder(String.format("%-24s", s.id()));
        for (int step : shown) {
            BacktestReport.StepResult r = step <= s.steps().size() ? s.steps().get(step - 1) : null;
            row.append(String.format(STEP_CELL, r == null ? "-" : fixed(r.skill(), 4) + " " + percent(r.coverage())));
        }
        out.println(row);
    }

    /** Steps 1..H up to {@link #ALL_STEPS_UP_TO}; beyond, 1, H/4, H/2, 3H/4 and H (rounded up). */
    static int[] shownSteps(int horizon) {
        if (horizon <= ALL_STEPS_UP_TO) {
            return IntStream.rangeClosed(1, horizon).toArray();
        }
        return IntStream.of(1, (horizon + 3) / 4, (horizon + 1) / 2, (3 * horizon + 3) / 4, horizon)
                .distinct().toArray();
    }

    /** All the samples a retraining saw, or (from a model document, which gives no more) those it trained on. */
    private static String samples(BacktestReport.Retraining r) {
        if (r.samples() != null) {
            return String.format("%6d samples", r.samples());
        }
        return r.trainingSamples() != null ? String.format("%6d trained on", r.trainingSamples()) : "     - samples";
    }

    private static String percent(Double fraction) {
        return fraction == null ? "-" : String.format("%.1f%%", fraction * 100);
    }

    private static String general4(Double value) {
        return value == null ? "-" : String.format("%.4g", value);
    }

    private static String general(Double value) {
        return value == null ? "-" : String.format("%.6g", value);
    }

    private static String fixed(Double value, int digits) {
        return value == null ? "n/a" : String.format("%+." + digits + "f", value);
    }
}
