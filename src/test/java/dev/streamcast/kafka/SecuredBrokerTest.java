package dev.streamcast.kafka;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
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
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker with embedded.kafka.security=scram and ACLs: SASL_SSL with SCRAM-SHA-512 on its client
 * listener, a trust store written for clients, users from the users file, and StandardAuthorizer. Real clients:
 * the right credentials work, anything else is refused.
 */
@Tag("broker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredBrokerTest {

    static final String BROKER_PASSWORD = "broker-Secret-1";
    static final String APP_PASSWORD = "app-Secret-22";
    static final String OTHER_PASSWORD = "other-Secret-333";

    @TempDir
    static Path dir;
    private EmbeddedKafkaBroker broker;

    @BeforeAll
    void startBroker() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "# the first user is the brokers' own\nbroker:"
            + BROKER_PASSWORD + "\napp:" + APP_PASSWORD + "\nother:" + OTHER_PASSWORD + "\n");
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0).scram(users, dir.resolve("tls"), true)
            .start();
        ApplicationAcls.grant(broker, "app", List.of("readings"), "streamcast");
        try (Admin admin = Admin.create(config(broker.clientProperties("broker")))) {
            admin.createTopics(List.of(new NewTopic("readings", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void writesTheClientsTrustStoreAndListensForSaslSslOnly() {
        assertTrue(broker.isSecured() && broker.hasAcls());
        assertTrue(Files.isRegularFile(dir.resolve("tls").resolve("truststore.pem")));
        assertEquals(dir.resolve("tls").resolve("truststore.pem"), broker.trustStore());
        Map<String, String> client = broker.clientProperties("app");
        assertEquals("SASL_SSL", client.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
    }

    @Test
    void theRightCredentialsAndAclsProduceAndConsume() throws Exception {
        Map<String, Object> producerConfig = config(broker.clientProperties("app"));
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            producer.send(new ProducerRecord<>("readings", "sensor-1", "21.5")).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> consumerConfig = config(broker.clientProperties("app"));
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "streamcast-test-reader");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of("readings"));
            List<String> seen = new ArrayList<>();
            await("the record read back", Duration.ofSeconds(30)).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value());
                }
                return !seen.isEmpty();
            });
            assertEquals(List.of("sensor-1=21.5"), seen);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, String> wrong = new HashMap<>(broker.clientProperties("app"));
        wrong.put("sasl.jaas.config", wrong.get("sasl.jaas.config").replace(APP_PASSWORD, "not-the-password"));
        try (Admin admin = Admin.create(config(wrong))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                () -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
    }

    @Test
    void aUserWithoutTheAclCannotWrite() {
        Map<String, Object> producerConfig = config(broker.clientProperties("other"));
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            Exception e = assertThrows(Exception.class,
                () -> producer.send(new ProducerRecord<>("readings", "sensor-1", "1")).get(30, TimeUnit.SECONDS));
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            assertInstanceOf(TopicAuthorizationException.class, cause, String.valueOf(cause));
        }
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        // Plain text, and TLS without SASL: neither gets an answer to a single request.
        for (String protocol : List.of("PLAINTEXT", "SSL")) {
            Map<String, String> anonymous = new HashMap<>();
            anonymous.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
            if (protocol.equals("SSL")) {
                anonymous.put("ssl.truststore.type", "PEM");
                anonymous.put("ssl.truststore.location", broker.trustStore().toString());
            }
            try (Admin admin = Admin.create(config(anonymous))) {
                Exception e = assertThrows(Exception.class,
                        () -> admin.listTopics(new ListTopicsOptions().timeoutMs(5000))
                    .names().get(10, TimeUnit.SECONDS), protocol);
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                assertTrue(cause instanceof org.apache.kafka.common.errors.TimeoutException
                    || cause instanceof TimeoutException
                    || cause instanceof org.apache.kafka.common.errors.AuthenticationException, protocol + ": "
                    + cause);
            }
        }
    }

    private Map<String, Object> config(Map<String, String> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return config;
    }
}
