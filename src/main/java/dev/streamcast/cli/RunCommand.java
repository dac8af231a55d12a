package dev.streamcast.cli;

import dev.streamcast.cli.runtime.ServiceRuntime;
import dev.streamcast.cli.runtime.UntilShutdown;
import dev.streamcast.config.StreamcastConfig;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code streamcast run}: the forecasting service, until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the forecasting service (with no kafka.bootstrap.servers, on an embedded Kafka broker).")
final class RunCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configuration;

    @Override
    public void run() {
        StreamcastConfig loaded = configuration.load();
        ServiceRuntime runtime = ServiceRuntime.start(loaded);
        PrintWriter out = spec.commandLine().getOut();
        UntilShutdown.await(runtime, runtime.service().fatalStop(), () -> {
            out.printf("Streamcast is running: readings from '%s' on Kafka at %s%s; dashboard at %s."
                    + " Ctrl-C stops it.%n", runtime.service().settings().topics().readings(),
                    runtime.bootstrapServers(), runtime.embedded() ? " (embedded broker)" : "",
                    runtime.dashboardUrl());
            out.flush();
            runtime.announceWhenReady(out);
        });
    }
}
