package dev.streamcast.cli;

import dev.streamcast.bench.engine.BenchmarkResult;
import dev.streamcast.bench.engine.BenchmarkRunner;
import dev.streamcast.cli.files.UserInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast bench model}: the JMH benchmarks of the LSTM engine, run from the jar. JMH's progress goes to
 * stderr; the table of figures (and with --json the file) is the command's output.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Benchmarks forecasting one window, a batch of 1,024 windows, one Adam step and the seed's fit.")
final class BenchModelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Fewer, shorter iterations: done within a minute, wider error.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write forecast_one_us, forecast_batch_us_per_window, train_step_batch1_us and "
                    + "seed_fit_ms as JSON to FILE.")
    Path json;

    @Override
    public void run() {
        BenchmarkResult result = BenchmarkRunner.run(quick, System.err);
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
