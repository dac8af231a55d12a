package dev.streamcast.service;

import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.kafka.TestBrokers;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service on a real Kafka broker running in this JVM (always available). */
@Tag("broker")
class EmbeddedBrokerEndToEndTest {

    @TempDir
    Path brokerDir;

    @TempDir
    Path stateDir;

    @Test
    void forecastsEveryEligibleReadingExactlyOnceTrainsAModelAndResumesWithItAfterARestart() throws Exception {
        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(brokerDir)) {
            new EndToEndScenario(broker.bootstrapServers(), stateDir).run();
        }
    }
}
