package dev.streamcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.backtest.Backtest;
import dev.streamcast.backtest.BacktestReport;
import dev.streamcast.backtest.BacktestTable;
import dev.streamcast.backtest.SensorReading;
import dev.streamcast.stream.StreamcastConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamcast backtest}: replays a CSV of history through the service's topology in process and scores it. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Replays a CSV of history through the service's own topology, in process, in timestamp order, "
                + "retraining on the sample schedule (retrain.every.samples) and gate; prints per series and overall "
                + "the forecasts' RMSE, MAE, naive RMSE and skill 1 - RMSE/RMSE_naive on the scored part.",
                "The wall-clock trigger retrain.every does not apply in a backtest."})
final class BacktestCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ReadingsOptions input;

    @Mixin
    ConfigOptions configuration;

    @Option(names = "--score-from", paramLabel = "F", defaultValue = "0.5",
            description = "Score each series' forecasts from this fraction of its readings on (default: ${DEFAULT-VALUE}).")
    double scoreFrom;

    @Option(names = "--spikes", paramLabel = "N", defaultValue = "0",
            description = "Inject N spikes into each series' scored part (the previous value plus 10 x the RMS step of "
                    + "its first part, evenly spaced) and report the share flagged as anomalies (default: none).")
    int spikes;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Override
    public void run() {
        if (!(scoreFrom >= 0 && scoreFrom < 1)) {
            throw new UserInputException("--score-from: expected a fraction from 0 to below 1, got " + scoreFrom);
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
        if (json != null) {
            writeJson(report);
            out.printf("wrote %s%n", json);
            out.flush();
        }
    }

    /** Written to a file beside the target, then moved over it: never half a file. */
    private void writeJson(BacktestReport report) {
        Path target = json.toAbsolutePath();
        try {
            Path temp = Files.createTempFile(target.getParent(), ".backtest-", ".json");
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), report);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserInputException("--json: " + json + ": cannot write: " + e.getMessage(), e);
        }
    }
}
