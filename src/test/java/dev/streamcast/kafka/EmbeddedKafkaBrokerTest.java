package dev.streamcast.kafka;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("broker")
class EmbeddedKafkaBrokerTest {

    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dataDirectory;

    @Test
    void servesProducersAndConsumersOnAFreePort() throws Exception {
        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(dataDirectory)) {
            assertTrue(broker.port() > 0, "a real port, not 0");
            assertEquals("127.0.0.1:" + broker.port(), broker.bootstrapServers());
            assertEquals(dataDirectory, broker.dataDirectory());

            createTopic(broker, "readings");
            try (KafkaProducer<String, String> producer = producer(broker, Map.of())) {
                producer.send(new ProducerRecord<>("readings", "sensor-1", "21.5")).get();
            }

            assertEquals(List.of("sensor-1=21.5"), consume(broker, "readings", "read_uncommitted", 1));
        }
    }

    /**
     * Kafka's offsets topic and transaction log exist once a single node is ready, before any client asked for a
     * coordinator: left to the clients, two of them creating one at once made the broker warn TOPIC_ALREADY_EXISTS.
     */
    @Test
    void aSingleNodeHasItsCoordinatorsTopicsWhenItIsReady() throws Exception {
        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(dataDirectory);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     broker.bootstrapServers()))) {
            // Listing topics creates none.
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
            assertTrue(topics.containsAll(Set.of("__consumer_offsets", "__transaction_state")), topics.toString());
        }
    }

    @Test
    void readCommittedConsumersSeeOnlyCommittedTransactions() throws Exception {
        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(dataDirectory)) {
            createTopic(broker, "forecasts");
            try (KafkaProducer<String, String> producer = producer(broker,
                    Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "streamcast-test"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("forecasts", "sensor-1", "aborted"));
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("forecasts", "sensor-1", "committed"));
                producer.commitTransaction();
            }

            assertEquals(List.of("sensor-1=committed"), consume(broker, "forecasts", "read_committed", 1));
        }
    }

    @Test
    void keepsTopicsAndRecordsAcrossRestarts() throws Exception {
        String clusterId;
        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(dataDirectory)) {
            createTopic(broker, "readings");
            try (KafkaProducer<String, String> producer = producer(broker, Map.of())) {
                producer.send(new ProducerRecord<>("readings", "sensor-1", "21.5")).get();
            }
            try (Admin admin = admin(broker)) {
                clusterId = admin.describeCluster().clusterId().get();
            }
        }

        try (EmbeddedKafkaBroker restarted = TestBrokers.startIn(dataDirectory)) {
            try (Admin admin = admin(restarted)) {
                assertEquals(clusterId, admin.describeCluster().clusterId().get(), "not reformatted");
                assertTrue(admin.listTopics().names().get().contains("readings"));
            }
            assertEquals(List.of("sensor-1=21.5"), consume(restarted, "readings", "read_uncommitted", 1));
        }
    }

    @Test
    void refusesABusyPortWithAClearMessage() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int busyPort = squatter.getLocalPort();

            BrokerStartupException e = assertThrows(BrokerStartupException.class,
                () -> EmbeddedKafkaBroker.builder(dataDirectory).port(busyPort).start());

            assertEquals("cannot start the embedded Kafka broker on 127.0.0.1:" + busyPort + ": address in use",
                e.getMessage());
        }
    }

    @Test
    void refusesADataDirectoryInUseByAnotherBroker() throws Exception {
        try (EmbeddedKafkaBroker first = TestBrokers.startIn(dataDirectory)) {
            createTopic(first, "readings");

            BrokerStartupException e = assertThrows(BrokerStartupException.class,
                () -> TestBrokers.startIn(dataDirectory));

            assertTrue(e.getMessage().contains(dataDirectory + " is in use"), e.getMessage());
            // The refused broker must not have touched the running one.
            try (Admin admin = admin(first)) {
                assertTrue(admin.listTopics().names().get().contains("readings"));
            }
        }
    }

    @Test
    void aFailedStartLeavesTheDataDirectoryUsable() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            // Kafka itself fails here, after its controller has started: only the broker listener is taken.
            int controllerPort = freePort();
            EmbeddedKafkaBroker.Builder clashing = EmbeddedKafkaBroker.builder(dataDirectory).port(0)
                .brokerProperty("listeners", "PLAINTEXT://127.0.0.1:" + squatter.getLocalPort()
                    + ",CONTROLLER://127.0.0.1:" + controllerPort)
                .brokerProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);

            BrokerStartupException e = assertThrows(BrokerStartupException.class, clashing::start);

            assertTrue(e.getMessage().startsWith("cannot start the embedded Kafka broker on 127.0.0.1:"),
                e.getMessage());
        }

        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(dataDirectory)) {
            createTopic(broker, "readings");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void createTopic(EmbeddedKafkaBroker broker, String topic)
            throws ExecutionException, InterruptedException {
        try (Admin admin = admin(broker)) {
            admin.createTopics(Set.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafkaBroker broker, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        config.putAll(extra);
        return new KafkaProducer<>(config);
    }

    /** Reads {@code expected} records from the start of {@code topic}, as "key=value", and checks nothing follows. */
    private static List<String> consume(EmbeddedKafkaBroker broker, String topic, String isolation, int expected) {
        Map<String, Object> config = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            await(expected + " records on " + topic, CONSUME_TIMEOUT).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.key() + "=" + record.value());
                }
                return seen.size() >= expected;
            });
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                seen.add(record.key() + "=" + record.value());
            }
        }
        return seen;
    }
}
