package dev.streamcast.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same scenario on Kafka in a container (apache/kafka, KRaft); skipped when no Docker engine runs. The image is
 * the release of the Kafka clients on the class path (kafka.version in pom.xml), so broker and clients match.
 */
@Testcontainers(disabledWithoutDocker = true)
@Tag("broker")
class KafkaContainerEndToEndTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:" + kafkaClientsVersion());

    @TempDir
    Path stateDir;

    /** The version kafka-clients records in its jar (kafka/kafka-version.properties), e.g. 4.4.0. */
    static String kafkaClientsVersion() {
        Properties p = new Properties();
        try (InputStream in = KafkaProducer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("kafka/kafka-version.properties is missing from kafka-clients", e);
        }
        return p.getProperty("version");
    }

    @Test
    void forecastsEveryEligibleReadingExactlyOnceTrainsAModelAndResumesWithItAfterARestart() throws Exception {
        new EndToEndScenario(KAFKA.getBootstrapServers(), stateDir).run();
    }
}
