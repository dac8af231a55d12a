package dev.streamcast.cli;

import dev.streamcast.cli.runtime.ServiceRuntime;
import dev.streamcast.cli.runtime.UntilShutdown;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code streamcast broker}: only the embedded KRaft broker, so several Streamcast processes can share it. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Runs only the embedded Kafka broker (embedded.kafka.* keys) until Ctrl-C.")
final class BrokerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configuration;

    @Override
    public void run() {
        StreamcastConfig loaded = configuration.load();
        EmbeddedKafkaBroker broker = ServiceRuntime.startBroker(loaded);
        PrintWriter out = spec.commandLine().getOut();
        UntilShutdown.await(broker, () -> {
            out.printf("Kafka broker running at %s (data in %s%s). Ctrl-C stops it.%n", broker.bootstrapServers(),
                    broker.dataDirectory(), broker.isSecured() ? "; SASL_SSL with SCRAM-SHA-512"
                            + (broker.hasAcls() ? " and ACLs" : "") + ", clients trust " + broker.trustStore() : "");
            out.flush();
        });
    }
}
