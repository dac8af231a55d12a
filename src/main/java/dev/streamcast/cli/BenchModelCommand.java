package dev.streamcast.cli;

import dev.streamcast.bench.engine.BenchedShape;
import dev.streamcast.bench.engine.BenchmarkResult;
import dev.streamcast.bench.engine.BenchmarkRunner;
import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.cli.files.ReportFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast bench model}: the JMH benchmarks of the LSTM engine, run from the jar. JMH's progress goes to
 * stderr; the table of figures (and with --json the file) is the command's output. With {@code --model}, the
 * model document is read here first, so a bad file is one line and exit code 2 before JMH starts.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Benchmarks forecasting one window, a batch of 1,024 windows, one Adam step and the seed's fit; "
                + "with --model, the same for that model (its own window), without the seed's fit.")
final class BenchModelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Fewer, shorter iterations: done within a minute, wider error.")
    boolean quick;

    @Option(names = "--model", paramLabel = "MODEL.json",
            description = "A model document (as 'streamcast import' or 'streamcast train' writes it) to time instead "
                    + "of the seed, on random windows of its own input (T x F); the seed's targets do not apply.")
    Path model;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write model, window_length, features, parameters, forecast_one_us, "
                    + "forecast_batch_us_per_window, train_step_batch1_us and seed_fit_ms (the seed only) as JSON to "
                    + "FILE.")
    Path json;

    @Override
    public void run() {
        if (json != null) {
            ReportFiles.checkWritable(json);
        }
        BenchedShape shape = BenchedShape.SEED;
        if (model != null) {
            ModelDocument doc = ModelFiles.readDocument(model);
            Forecaster forecaster = ModelFiles.toForecaster(model, doc, 0);
            shape = BenchedShape.of(model.getFileName() + " (" + forecaster.modelId() + ")", false, forecaster);
        }
        BenchmarkResult result = BenchmarkRunner.run(model, shape, quick, System.err);
        PrintWriter out = spec.commandLine().getOut();
        out.print(BenchmarkRunner.formatTable(result));
        out.flush();
        if (json != null) {
            try {
                BenchmarkRunner.writeJson(result, json);
            } catch (IOException e) {
                throw new UserInputException("--json: " + json + ": cannot write: " + e.getMessage(), e);
            }
        }
    }
}
