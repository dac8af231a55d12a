package dev.streamcast.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks the {@code kafka.*} settings before anything connects or starts: each key must be one Kafka Streams or
 * one of its clients knows (a typo would otherwise be ignored with a warning deep in the log), and each value
 * must parse as that key's type and range. Kafka's own config definitions do the parsing, so the rules are
 * exactly Kafka's; what needs a broker (authentication, reachability) is left to the connection.
 */
public final class KafkaSettingsValidator {

    /** Stands in for the bootstrap servers while none is known yet (the embedded broker starts after the check). */
    private static final String PLACEHOLDER_BOOTSTRAP = "127.0.0.1:9092";

    /** Kafka Streams' prefixes for settings meant for one client or for the internal topics. */
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX);

    private KafkaSettingsValidator() {
    }

    /**
     * @param streamsProperties what Kafka Streams will receive (keys without the {@code kafka.} prefix)
     * @throws ConfigException naming the first {@code kafka.} key that is unknown or has a value Kafka refuses
     */
    public static void validate(Properties streamsProperties) {
        Properties props = new Properties();
        props.putAll(streamsProperties);
        props.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, PLACEHOLDER_BOOTSTRAP);
        for (String key : props.stringPropertyNames()) {
            if (!isKnown(key)) {
                throw new ConfigException(StreamcastConfig.KAFKA_PREFIX + key
                        + ": not a setting of Kafka Streams or of "
                        + "its producer, consumer or admin client");
            }
        }
        StreamsConfig streams;
        try {
            streams = new QuietStreamsConfig(props);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            // Kafka names the key without our prefix: "Invalid value abc for configuration num.stream.threads: ..."
            throw new ConfigException(e.getMessage().replaceFirst("configuration \"?([\\w.-]+)\"?",
                    "configuration " + StreamcastConfig.KAFKA_PREFIX + "$1"), e);
        }
        parse("producer", ProducerConfig.configDef(), withSerdes(streams.getProducerConfigs("validation")));
        parse("main consumer", ConsumerConfig.configDef(),
                withSerdes(streams.getMainConsumerConfigs("validation", "validation", 0)));
        parse("restore consumer", ConsumerConfig.configDef(),
                withSerdes(streams.getRestoreConsumerConfigs("validation")));
        parse("global consumer", ConsumerConfig.configDef(),
                withSerdes(streams.getGlobalConsumerConfigs("validation")));
        parse("admin client", AdminClientConfig.configDef(), streams.getAdminConfigs("validation"));
    }

    /** Parses what one client will receive; the key named is the client's (after Streams stripped its prefix). */
    private static void parse(String client, ConfigDef definition, Map<String, Object> clientConfig) {
        try {
            definition.parse(clientConfig);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new ConfigException("kafka.* settings of the " + client + ": " + e.getMessage(), e);
        }
    }

    /** Kafka Streams passes its serializers to the clients it creates; the check gives them stand-ins. */
    private static Map<String, Object> withSerdes(Map<String, Object> clientConfig) {
        Map<String, Object> filled = new HashMap<>(clientConfig);
        filled.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        filled.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        filled.putIfAbsent(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        filled.putIfAbsent(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return filled;
    }

    private static boolean isKnown(String key) {
        if (key.startsWith(StreamsConfig.TOPIC_PREFIX) || key.startsWith(StreamsConfig.CLIENT_TAG_PREFIX)) {
            // internal topics' settings (the broker checks them when it creates the topics) and free-form tags
            return true;
        }
        for (String prefix : CLIENT_PREFIXES) {
            if (key.startsWith(prefix)) {
                // a client's own setting, or a Streams setting that client's config must see as well
                return KnownKeys.ALL.contains(key.substring(prefix.length()));
            }
        }
        return KnownKeys.ALL.contains(key);
    }

    /** Every setting name of Kafka Streams and its clients, computed once. */
    private static final class KnownKeys {
        static final Set<String> ALL = union(ProducerConfig.configNames(), ConsumerConfig.configNames(),
                AdminClientConfig.configNames(), StreamsConfig.configDef().names());

        @SafeVarargs
        private static Set<String> union(Set<String>... sets) {
            Set<String> all = new HashSet<>();
            for (Set<String> s : sets) {
                all.addAll(s);
            }
            return Set.copyOf(all);
        }
    }

    /** StreamsConfig without its INFO dump of every value: the service logs its own when it starts. */
    private static final class QuietStreamsConfig extends StreamsConfig {
        QuietStreamsConfig(Map<?, ?> props) {
            super(props, false);
        }
    }
}
