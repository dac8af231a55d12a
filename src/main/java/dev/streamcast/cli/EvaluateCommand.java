package dev.streamcast.cli;

import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.WalkForwardEvaluation.Accuracy;
import dev.streamcast.model.WalkForwardEvaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast evaluate}: replays each series of a CSV file through a model the way the stream does (from the
 * series' first value, keeping its sensor statistics for the sensor scaling and, unless disabled, learning its
 * local correction) and compares its errors with the naive forecast (the last value).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        defaultValueProvider = EvaluateCommand.BundledDefaults.class,
        description = "Prints RMSE and MAE of the model and of the naive forecast, and the skill 1 - RMSE/RMSE_naive, "
                + "per series and overall.")
final class EvaluateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A trained model document.")
    Path model;

    @Mixin
    SeriesOptions input;

    static final String CORRECTION_OPTION = "--correction-readings";
    static final String CORRECTION_KEY = "forecast.correction.readings";

    // The default comes from the bundled configuration (BundledDefaults), so that it is the stream's own.
    @Option(names = CORRECTION_OPTION, paramLabel = "N",
            description = "The memory of each series' local correction of the network's forecasts, as the stream's "
                    + "forecast.correction.readings; 0 scores the network alone (default: ${DEFAULT-VALUE}).")
    int correctionReadings;

    @Override
    public void run() {
        if (correctionReadings < 0) {
            throw new UserInputException("--correction-readings: expected 0 or more readings, got "
                    + correctionReadings);
        }
        Forecaster forecaster = ModelFiles.readTrained(model);
        Map<String, double[]> series = input.read(forecaster.windowLength());
        PrintWriter out = spec.commandLine().getOut();
        String format = "%-20s %8s %12s %12s %12s %12s %8s%n";
        out.printf(format, "series", "n", "rmse", "mae", "naive_rmse", "naive_mae", "skill");
        Accuracy overall = new Accuracy();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            Accuracy accuracy = WalkForwardEvaluation.evaluate(forecaster, e.getValue(), 0, correctionReadings);
            overall.addAll(accuracy);
            print(out, e.getKey(), accuracy);
        }
        print(out, "overall", overall);
        out.flush();
    }

    private static void print(PrintWriter out, String name, Accuracy a) {
        out.printf("%-20s %8d %12.6g %12.6g %12.6g %12.6g %8s%n", name, a.count(), a.rmse(), a.mae(), a.naiveRmse(),
                a.naiveMae(), Double.isNaN(a.skill()) ? "n/a" : String.format("%.4f", a.skill()));
    }

    /**
     * {@value #CORRECTION_OPTION} defaults to {@value #CORRECTION_KEY} of the bundled config/streamcast.properties, so
     * that evaluate scores a model the way the stream serves it by default and the two defaults cannot drift apart.
     */
    static final class BundledDefaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec argument) {
            if (argument instanceof OptionSpec option && CORRECTION_OPTION.equals(option.longestName())) {
                return StreamcastConfig.defaults().get(CORRECTION_KEY);
            }
            return null;
        }
    }
}
