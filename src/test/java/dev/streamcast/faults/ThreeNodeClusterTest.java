package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three {@code streamcast broker} processes started with embedded.kafka.node-id, voters and cluster-id form one
 * KRaft cluster; Kafka's internal topics, Streamcast's topics and Kafka Streams' changelogs get three replicas of
 * which two must be in sync, and the cluster keeps taking acknowledged writes with one node down.
 */
@Tag("broker")
class ThreeNodeClusterTest extends FaultScenario {

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void threeBrokerProcessesFormOneClusterAndReplicateEveryTopicThreeTimes() throws Exception {
        begin("three-node cluster");
        cluster = new FaultCluster(dir, "cluster", 3);
        cluster.startBroker();
        Admin admin = cluster.admin();

        Set<Integer> brokers = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).stream().map(Node::id)
                .collect(Collectors.toSet());
        assertEquals(Set.of(1, 2, 3), brokers);
        QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(60, TimeUnit.SECONDS);
        assertEquals(Set.of(1, 2, 3), quorum.voters().stream().map(QuorumInfo.ReplicaState::replicaId)
                .collect(Collectors.toSet()));

        ServiceInstance service = cluster.instance("streamcast", Map.of()).start(Duration.ofMinutes(3));
        TrafficPlan plan = TrafficPlan.build(20, 20, 0, 0, 1);
        LoadProducer producer = cluster.producer(plan);
        producer.sendAndWait(0, plan.size() / 2, 0, Duration.ofMinutes(2));
        cluster.awaitCaughtUp(Duration.ofMinutes(2), List.of(service));

        for (String topic : List.of("sensor-readings", "sensor-forecasts", "streamcast-models", "__consumer_offsets",
                "__transaction_state")) {
            assertReplicated(admin, topic);
        }
        String changelog = admin.listTopics().names().get(60, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith(cluster.applicationId() + "-") && t.endsWith("-changelog")).findFirst()
                .orElseThrow(() -> new AssertionError("no changelog topic of " + cluster.applicationId()));
        assertReplicated(admin, changelog);

        // With node 3 down, two in-sync replicas remain: writes are still acknowledged and processed.
        cluster.brokerNode(3).kill();
        producer.sendAndWait(plan.size() / 2, plan.size(), 0, Duration.ofMinutes(2));
        cluster.awaitCaughtUp(Duration.ofMinutes(2), List.of(service));
        ConservationVerifier.Report report = cluster.verify(producer, cluster.outputs(), Duration.ofSeconds(60));
        assertTrue(report.ok(), report.summary());
    }

    private static void assertReplicated(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS)
                .get(topic);
        description.partitions().forEach(p -> assertEquals(3, p.replicas().size(), topic + " partition "
                + p.partition() + " replicas " + p.replicas()));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS).get(resource);
        assertEquals("2", config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value(), topic + " min.insync.replicas");
    }
}
