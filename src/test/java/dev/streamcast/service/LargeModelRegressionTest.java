package dev.streamcast.service;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.testing.BrokerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found while checking the models-topic scenario's 5 MB record (the broker refuses records over 1 MB on a topic with
 * Kafka's defaults): a model the trainer itself produces can be that large. With an LSTM of 160 units the model
 * document is about 2.2 MB; publishing it exceeded the trainer's producer's max.request.size (Kafka's 1 MB), the
 * production error killed the stream thread ("a training stream thread failed; replacing it"), the transaction was
 * aborted, and the model was lost; the replacement thread retrained and died again at the next retraining, each time
 * stalling every task of the thread for a rebalance.
 *
 * <p>Models are published by the training client (application id + "-trainer"), so that is the client whose stream
 * thread must survive; and the model must arrive: the forecasting client serves the version the trainer accepted
 * once it has read it back from the models topic.
 */
@Tag("broker")
class LargeModelRegressionTest {

    private static final String MODEL_ID = "default";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aTrainedModelOverOneMegabyteIsPublishedWithoutKillingTheTrainersStreamThread() throws Exception {
        Path architecture = dir.resolve("large-model.json");
        Files.writeString(architecture, "{\"format\": \"streamcast-model/1\", \"modelId\": \"" + MODEL_ID + "\", "
                + "\"windowLength\": 3, \"scaling\": {\"kind\": \"window\"}, \"layers\": ["
                + "{\"type\": \"lstm\", \"units\": 160, \"activation\": \"tanh\", \"inputShape\": [3, 1]},"
                + "{\"type\": \"dense\", \"units\": 1, \"activation\": \"linear\"}]}");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0).start()) {
            Map<String, String> settings = BrokerSettings.service(broker.bootstrapServers(), "large-model-regression",
                    dir.resolve("state"));
            settings.put("model.architecture", architecture.toString());
            settings.put("retrain.min.samples", "100");
            settings.put("retrain.every.samples", "200");
            settings.put("retrain.buffer.size", "300");
            settings.put("retrain.epochs", "5");
            settings.put("retrain.learning-rate", "0.01");
            try (StreamcastService service = new StreamcastService(StreamcastConfig.of(settings))) {
                service.start();
                Properties props = BrokerSettings.client(broker.bootstrapServers());
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                        new StringSerializer())) {
                    // Rising ramps, a minute apart: the first challenger beats the naive forecast easily.
                    long start = System.currentTimeMillis() - 3_600_000;
                    for (int t = 0; t < 40; t++) {
                        for (int s = 0; s < 10; s++) {
                            producer.send(new ProducerRecord<>("sensor-readings", "sensor-" + s,
                                    "{\"value\": " + (s * 10 + t) + ", \"timestamp\": " + (start + t * 60_000L) + "}"));
                        }
                    }
                }
                ModelRegistry registry = service.registry();
                await("a retraining", Duration.ofSeconds(120)).until(() -> !registry.runs().isEmpty());
                ChallengerTrainer.Outcome first = registry.runs().get(registry.runs().size() - 1);
                assertTrue(first.accepted(), "the large challenger won: " + first.reason());
                long version = first.model().version();

                // Published and read back: the forecasting client's global store serves it. A publication the
                // producer refuses aborts the transaction, and this version never arrives.
                await("version " + version + " of the large model serving", Duration.ofSeconds(60))
                        .until(() -> registry.get(MODEL_ID) != null && registry.get(MODEL_ID).version() >= version);

                KafkaStreams trainer = service.trainerStreams();
                List<String> threads = trainer.metadataForLocalThreads().stream()
                        .map(ThreadMetadata::threadName).toList();
                assertEquals(1, threads.size(), "the training client's threads: " + threads);
                assertTrue(threads.get(0).endsWith("-StreamThread-1"),
                        "the training client's stream thread was never replaced: " + threads);
                assertEquals(KafkaStreams.State.RUNNING, trainer.state());
                assertEquals(KafkaStreams.State.RUNNING, service.streams().state());
            }
        }
    }
}
