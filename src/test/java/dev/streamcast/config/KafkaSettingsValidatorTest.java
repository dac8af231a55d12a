package dev.streamcast.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.service.StreamcastService;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class KafkaSettingsValidatorTest {

    private static void valid(Map<String, String> settings) {
        assertDoesNotThrow(() -> StreamcastService.check(StreamcastConfig.of(settings)), settings.toString());
    }

    private static void refused(Map<String, String> settings, String... fragments) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StreamcastService.check(StreamcastConfig.of(settings)),
                settings.toString());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void theDefaultsAndCommonClientSettingsPass() {
        valid(Map.of());
        valid(Map.of("kafka.bootstrap.servers", "kafka-1:9092,kafka-2:9092", "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512", "kafka.num.stream.threads", "2",
                "kafka.producer.linger.ms", "20", "kafka.main.consumer.max.poll.records", "500",
                "kafka.topic.min.insync.replicas", "2", "kafka.application.server", "host-1:8080"));
    }

    @Test
    void aValueKafkaCannotParseIsRefusedNamingTheKey() {
        refused(Map.of("kafka.num.stream.threads", "abc"), "kafka.num.stream.threads", "abc");
        refused(Map.of("kafka.processing.guarantee", "twice"), "kafka.processing.guarantee", "exactly_once_v2");
        refused(Map.of("kafka.security.protocol", "PLAIN"), "kafka.security.protocol");
        refused(Map.of("kafka.consumer.max.poll.records", "many"), "consumer", "max.poll.records", "many");
        refused(Map.of("kafka.producer.acks", "maybe"), "producer", "acks", "maybe");
    }

    @Test
    void aKeyNoKafkaClientKnowsIsATypoNotASilentlyIgnoredSetting() {
        refused(Map.of("kafka.bootstrap.server", "kafka-1:9092"), "kafka.bootstrap.server:", "not a setting");
        refused(Map.of("kafka.producer.lingerms", "5"), "kafka.producer.lingerms");
    }
}
