package dev.streamcast.kafka;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("unit")
class BrokerPropertiesTest {

    private static final Path DATA = Path.of("/var/lib/streamcast/kafka");

    @Test
    void sizesEveryInternalTopicForASingleNode() {
        Map<String, String> props = BrokerProperties.of("127.0.0.1", "127.0.0.1", 9092, 9093, DATA,
            Duration.ofSeconds(60), Map.of());

        assertEquals("1", props.get("offsets.topic.replication.factor"));
        assertEquals("1", props.get("transaction.state.log.replication.factor"));
        assertEquals("1", props.get("transaction.state.log.min.isr"));
        assertEquals("1@127.0.0.1:9093", props.get("controller.quorum.voters"));
        assertEquals("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093", props.get("listeners"));
        assertEquals(DATA.toString(), props.get("log.dirs"));
    }

    @Test
    void extraPropertiesOverrideTheEmbeddedDefaults() {
        Map<String, String> props = BrokerProperties.of("127.0.0.1", "127.0.0.1", 9092, 9093, DATA,
            Duration.ofSeconds(60), Map.of("num.partitions", "6", "log.retention.hours", "24"));

        assertEquals("6", props.get("num.partitions"));
        assertEquals("24", props.get("log.retention.hours"));
    }

    @Test
    void aWildcardBindAdvertisesTheGivenHostName() {
        Map<String, String> props = BrokerProperties.of("0.0.0.0", "sensors.example", 9092, 9093, DATA,
            Duration.ofSeconds(60), Map.of());

        assertEquals("PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093", props.get("listeners"));
        assertEquals("PLAINTEXT://sensors.example:9092", props.get("advertised.listeners"));
    }
}
