package dev.streamcast.service;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.kafka.TestBrokers;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.stream.RetrainingTopologyTest;
import dev.streamcast.testing.BrokerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the service does when it starts: topics, and the initial model. */
@Tag("broker")
class ServiceStartupTest {

    @TempDir
    static Path brokerDir;

    @TempDir
    Path stateDir;

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBrokers.startIn(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private StreamcastConfig config(Map<String, String> extra) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> m = BrokerSettings.service(broker.bootstrapServers(), "startup-" + run, stateDir);
        for (String t : List.of("readings", "forecasts", "accuracy", "samples", "models", "dlq")) {
            m.put("topics." + t, t + "-" + run);
        }
        m.putAll(extra);
        return StreamcastConfig.of(m);
    }

    @Test
    void createsItsSixTopicsWithTheConfiguredPartitionsAndACompactedModelsTopic() throws Exception {
        StreamcastConfig config = config(Map.of("topics.partitions", "3"));
        Topics topics = Topics.from(config);
        try (StreamcastService service = new StreamcastService(config)) {
            service.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                Map<String, TopicDescription> described = admin.describeTopics(topics.all()).allTopicNames().get();
                assertEquals(Set.copyOf(topics.all()), described.keySet());
                described.values().forEach(d -> assertEquals(3, d.partitions().size(), d.name()));
                ConfigResource models = new ConfigResource(ConfigResource.Type.TOPIC, topics.models());
                Config modelsConfig = admin.describeConfigs(List.of(models)).all().get().get(models);
                assertEquals("compact", modelsConfig.get("cleanup.policy").value());
            }
        }
    }

    @Test
    void closeReturnsOnlyOnceTheForecastingWarmUpHasEndedAndDeletedItsStateDirectory() throws Exception {
        StreamcastConfig config = config(Map.of());
        Path stateRoot = Path.of(config.get("kafka.state.dir"));
        try (StreamcastService service = new StreamcastService(config)) {
            service.start();
            // Closed while the training client still joins its group: the warm-up is running then.
            await("the warm-up's state directory", Duration.ofSeconds(30))
                    .until(() -> warmUpDirectories(stateRoot) > 0);
        }
        // Nothing of the service writes under kafka.state.dir once close returned (a test's @TempDir, deleted just
        // after, failed to close while the warm-up still wrote in it).
        assertEquals(0, warmUpDirectories(stateRoot), "the warm-up's state directory is gone when close returns");
    }

    private static long warmUpDirectories(Path stateRoot) throws java.io.IOException {
        if (!Files.isDirectory(stateRoot)) {
            return 0;
        }
        try (var entries = Files.list(stateRoot)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("warmup-")).count();
        }
    }

    @Test
    void anInitialModelIsPublishedOnceAndServesFromTheFirstWindow() throws Exception {
        Path model = stateDir.resolve("initial.json");
        Files.write(model, ModelCodec.write(ModelCodec.toDocument(RetrainingTopologyTest.rampModel("default", 1))));
        StreamcastConfig config = config(Map.of("model.initial", model.toString()));
        try (StreamcastService service = new StreamcastService(config)) {
            service.start();
            await("the initial model installed", Duration.ofSeconds(30))
                    .until(() -> service.registry().get("default") != null);
            assertEquals(1, service.registry().get("default").version());
        }
        assertEquals(1, ModelTopicReader.latestVersion(config.kafkaProperties(), Topics.from(config).models(),
                "default"));
        // The topic holds a version now: the next start must not push the initial model again.
        Files.write(model, ModelCodec.write(ModelCodec.toDocument(RetrainingTopologyTest.rampModel("default", 1))));
        try (StreamcastService service = new StreamcastService(config)) {
            service.start();
            await("the model restored", Duration.ofSeconds(30)).until(() -> service.registry().get("default") != null);
        }
        assertTrue(countModelRecords(config) == 1, "published once");
    }

    private static long countModelRecords(StreamcastConfig config) {
        var props = config.kafkaProperties();
        props.put("group.id", "count-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        long count = 0;
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.subscribe(List.of(Topics.from(config).models()));
            long deadline = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < deadline) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return count;
    }
}
