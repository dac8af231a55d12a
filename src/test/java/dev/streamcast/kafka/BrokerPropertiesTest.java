package dev.streamcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
    void theBrokerWaitsOutATransactionBeingCompletedInsteadOfAnsweringConcurrentTransactions() {
        Map<String, String> props = BrokerProperties.of("127.0.0.1", "127.0.0.1", 9092, 9093, DATA,
            Duration.ofSeconds(60), Map.of());

        // Kafka's default is 100 ms; the producer logs a WARN for each CONCURRENT_TRANSACTIONS it gets after that.
        assertEquals("5000", props.get("add.partitions.to.txn.retry.backoff.max.ms"));
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

    @Test
    void aClusterNodeReplicatesTheInternalTopicsThreeTimesWithTwoInSync() {
        ControllerQuorum quorum = ControllerQuorum.cluster(2, "1@127.0.0.1:19093,2@127.0.0.1:29093,3@127.0.0.1:39093",
            "MkU3OEVBNTcwNTJENDM2Qg");
        Map<String, String> props = BrokerProperties.of("127.0.0.1", "127.0.0.1", 29092, quorum, 0, null, null, DATA,
            Duration.ofSeconds(60), Map.of());

        assertEquals("2", props.get("node.id"));
        assertEquals("1@127.0.0.1:19093,2@127.0.0.1:29093,3@127.0.0.1:39093", props.get("controller.quorum.voters"));
        assertEquals("PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093", props.get("listeners"));
        assertEquals("3", props.get("offsets.topic.replication.factor"));
        assertEquals("3", props.get("transaction.state.log.replication.factor"));
        assertEquals("2", props.get("transaction.state.log.min.isr"));
        assertEquals("2", props.get("min.insync.replicas"));
    }

    @Test
    void aClusterNeedsItsNodeAmongTheVotersAndAClusterId() {
        String voters = "1@127.0.0.1:19093,2@127.0.0.1:29093";
        IllegalArgumentException notAVoter = assertThrows(IllegalArgumentException.class,
            () -> ControllerQuorum.cluster(3, voters, "MkU3OEVBNTcwNTJENDM2Qg"));
        assertTrue(notAVoter.getMessage().contains("node id 3 is not among the voters"), notAVoter.getMessage());
        IllegalArgumentException noId = assertThrows(IllegalArgumentException.class,
            () -> ControllerQuorum.cluster(1, voters, ""));
        assertTrue(noId.getMessage().startsWith("a cluster id is required with voters"), noId.getMessage());
        IllegalArgumentException badVoters = assertThrows(IllegalArgumentException.class,
            () -> ControllerQuorum.cluster(1, "1@127.0.0.1", "MkU3OEVBNTcwNTJENDM2Qg"));
        assertTrue(badVoters.getMessage().startsWith("expected voters as id@host:port"), badVoters.getMessage());
    }
}
