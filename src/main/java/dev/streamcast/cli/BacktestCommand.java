package dev.streamcast.cli;

import dev.streamcast.backtest.Backtest;
import dev.streamcast.backtest.BacktestReport;
import dev.streamcast.backtest.BacktestTable;
import dev.streamcast.backtest.SensorReading;
import dev.streamcast.cli.files.ReportFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.config.StreamcastConfig;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamcast backtest}: replays a CSV of history through the service's topology in process and scores it. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Replays a CSV of history through the service's own topology, in process, in timestamp order, "
                + "retraining on the sample schedule (retrain.every.samples) and gate; prints per series and overall "
                + "the forecasts' RMSE, MAE, naive RMSE and skill 1 - RMSE/RMSE_naive on the scored part, "
                + "and the intervals' coverage and mean width beside the naive forecast's own calibrated width, the "
                + "anomaly rate, the floor's share and the model's own skill; all one step ahead (the step-1 accuracy "
                + "records).",
                "With forecast.horizon H > 1, also each series' skill (against the last value carried that many steps) "
                + "and coverage per step: a table of steps 1..H (up to 8; beyond, 1, H/4, H/2, 3H/4, H), every step in "
                + "--json (steps[]).",
                "The wall-clock trigger retrain.every does not apply in a backtest."})
final class BacktestCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ReadingsOptions input;

    @Mixin
    ConfigOptions configuration;

    @Mixin
    ScoringOptions scoring;

    @Option(names = "--spikes", paramLabel = "N", defaultValue = "0",
            description = "Inject N spikes into each series' scored part (the previous value plus 10 x the RMS step of "
                    + "its first part, evenly spaced) and report the share flagged as anomalies (spikeRecall); the "
                    + "spikes are not scored as readings (default: none).")
    int spikes;

    @Override
    public void run() {
        double scoreFrom = scoring.scoreFrom();
        if (spikes < 0) {
            throw new UserInputException("--spikes: expected 0 or more spikes per series, got " + spikes);
        }
        StreamcastConfig config = configuration.load();
        List<SensorReading> readings = input.read();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.printf("backtest of %s: %,d readings; retraining every %s samples once %s are buffered (retrain.every, a "
                        + "wall-clock trigger, does not apply in a backtest)%n", input.data, readings.size(),
                config.get("retrain.every.samples"), config.get("retrain.min.samples"));
        out.flush();
        long started = System.nanoTime();
        BacktestReport report = new Backtest(config, scoreFrom, spikes, line -> {
            err.println("backtest: " + line);
            err.flush();
        }).run(readings);
        BacktestTable.print(report, out);
        out.printf("%.1f s%n", (System.nanoTime() - started) / 1e9);
        out.flush();
        if (scoring.json != null) {
            ReportFiles.writeJson(scoring.json, report);
            out.printf("wrote %s%n", scoring.json);
            out.flush();
        }
    }
}
