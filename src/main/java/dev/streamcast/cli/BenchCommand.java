package dev.streamcast.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code streamcast bench}: the speed figures users size a deployment with. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {BenchModelCommand.class, BenchE2eCommand.class, BenchBacklogCommand.class},
        description = "Runs the benchmarks: 'bench model' (the LSTM engine, JMH), 'bench e2e' (the service on an "
                + "embedded broker: throughput and latency) and 'bench backlog' (a fresh service JVM drains a "
                + "preloaded backlog on a broker process of its own).")
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
