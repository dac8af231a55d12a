package dev.streamcast.cli;

import dev.streamcast.backtest.ReadingsReplay;
import dev.streamcast.backtest.SensorReading;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.cli.runtime.KafkaClientProperties;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.service.TopicCreator;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamcast replay}: publishes a CSV of history to the readings topic. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Publishes a CSV to the readings topic in timestamp order, each reading's timestamp in its JSON "
                + "value, at --rate readings/s or as fast as possible. Kafka is configured as for 'run' "
                + "(default: the embedded broker's address, embedded.kafka.host:embedded.kafka.port).")
final class ReplayCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ReadingsOptions input;

    @Mixin
    ConfigOptions configuration;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
            description = "Readings per second; 0 publishes as fast as possible (default).")
    double rate;

    @Override
    public void run() {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new UserInputException("--rate: expected readings per second, 0 or more, got " + rate);
        }
        StreamcastConfig config = configuration.load();
        List<SensorReading> readings = input.read();
        Topics topics = Topics.from(config);
        Properties kafka = KafkaClientProperties.of(config);
        String bootstrap = kafka.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("replaying %,d readings of %s to '%s' on Kafka at %s, %s%n", readings.size(), input.data,
                topics.readings(), bootstrap,
                rate > 0 ? String.format("%,.0f readings/s", rate) : "as fast as possible");
        out.flush();
        try {
            // As 'run' does, so the readings topic has topics.partitions partitions, not the broker's default.
            try (Admin admin = Admin.create(kafka)) {
                TopicCreator.createMissing(admin, bootstrap, topics, config.getInt("topics.partitions", 1, 10_000),
                        (short) config.getInt("topics.replication-factor", -1, Short.MAX_VALUE),
                        config.isSet("topics.min-insync-replicas")
                                ? config.getInt("topics.min-insync-replicas", 1, Short.MAX_VALUE) : null);
            }
            new ReadingsReplay(kafka, topics.readings(), line -> {
                out.println(line);
                out.flush();
            }).publish(readings, rate);
        } catch (KafkaException | IllegalStateException e) {
            throw new UserInputException("cannot publish to '" + topics.readings() + "' on Kafka at " + bootstrap
                    + " (is a broker running there? see kafka.bootstrap.servers): " + e.getMessage(), e);
        }
    }
}
