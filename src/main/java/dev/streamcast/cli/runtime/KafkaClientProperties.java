package dev.streamcast.cli.runtime;

import dev.streamcast.config.StreamcastConfig;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/** The Kafka client configuration of the commands that talk to a running service's broker (replay, score). */
public final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    /**
     * Every {@code kafka.*} key, as {@code run} passes them; with no bootstrap servers, the embedded broker that
     * {@code run} starts, where it starts it ({@code embedded.kafka.host:embedded.kafka.port}).
     */
    public static Properties of(StreamcastConfig config) {
        Properties kafka = config.kafkaProperties();
        kafka.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                config.get("embedded.kafka.host") + ":" + config.get("embedded.kafka.port"));
        return kafka;
    }
}
