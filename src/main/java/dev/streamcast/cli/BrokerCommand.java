package dev.streamcast.cli;

import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.stream.StreamcastConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamcast broker}: only the embedded KRaft broker, so several Streamcast processes can share it. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Runs only the embedded Kafka broker (embedded.kafka.* keys) until Ctrl-C.")
final class BrokerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A properties file (default: config/streamcast.properties when it exists).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one configuration key; repeatable.")
    Map<String, String> sets;

    @Override
    public void run() {
        StreamcastConfig loaded = ConfigLoader.load(config, System.getenv(), sets);
        EmbeddedKafkaBroker broker = ServiceRuntime.startBroker(loaded);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Kafka broker running at %s (data in %s). Ctrl-C stops it.%n", broker.bootstrapServers(),
                broker.dataDirectory());
        out.flush();
        RunCommand.awaitShutdown(broker);
    }
}
