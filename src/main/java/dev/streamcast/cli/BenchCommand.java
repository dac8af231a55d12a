package dev.streamcast.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code streamcast bench}: the speed figures users size a deployment with. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {BenchModelCommand.class, BenchE2eCommand.class},
        description = "Runs the benchmarks: 'bench model' (the LSTM engine, JMH) and 'bench e2e' (the service on an "
                + "embedded broker: throughput and latency).")
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
