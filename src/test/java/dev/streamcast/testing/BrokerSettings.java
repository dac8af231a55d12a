package dev.streamcast.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The settings tests use against a broker they started (the embedded one, or a container): a service's and a
 * client's, built in one place so every test talks to its broker the same way.
 */
public final class BrokerSettings {

    private BrokerSettings() {
    }

    /**
     * A Streamcast service's settings on the broker at {@code bootstrap}: its application id and the directory of its
     * Kafka Streams state. A mutable map: the test adds what it is about.
     */
    public static Map<String, String> service(String bootstrap, String applicationId, Path stateDir) {
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", bootstrap);
        settings.put("kafka.application.id", applicationId);
        settings.put("kafka.state.dir", stateDir.toString());
        return settings;
    }

    /** A Kafka client's properties (producer, consumer or admin) for the broker at {@code bootstrap}. */
    public static Properties client(String bootstrap) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }

    /**
     * A consumer's properties that read what the service committed, from the beginning, in a group of its own: how a
     * test checks the service's outputs.
     */
    public static Properties verifier(String bootstrap) {
        Properties props = client(bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "verifier-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }
}
