package dev.streamcast.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamcast bench model}: JMH benchmarks of the LSTM engine, run from the jar. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Benchmarks forecasting one window, a batch of 1,024 windows, one Adam step and the seed's fit.")
final class BenchModelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Fewer, shorter iterations: done within a minute, wider error.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path json;

    @Override
    public void run() {
        throw new UserInputException("bench model is being wired");
    }
}
