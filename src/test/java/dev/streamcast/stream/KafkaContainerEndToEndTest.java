package dev.streamcast.stream;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same scenario on Kafka in a container (apache/kafka, KRaft); skipped when no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerEndToEndTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @TempDir
    Path stateDir;

    @Test
    void forecastsEveryEligibleReadingExactlyOnceTrainsAModelAndResumesWithItAfterARestart() throws Exception {
        new EndToEndScenario(KAFKA.getBootstrapServers(), stateDir).run();
    }
}
