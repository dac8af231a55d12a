package dev.streamcast.stream;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.kafka.TestBrokers;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.testing.BrokerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training keeps pace with a backlog: readings produced before the service starts (a restart after downtime, a
 * replay of history) are forecast with a model trained from the first of them, not naively until the backlog is
 * gone.
 */
@Tag("broker")
class TrainingPaceTest {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingPaceTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SENSORS = 200;
    private static final int READINGS_PER_SENSOR = 1_000;
    private static final int TOTAL = SENSORS * READINGS_PER_SENSOR;

    @TempDir
    Path brokerDir;

    @TempDir
    Path stateDir;

    @Test
    void withABacklogOf200000ReadingsTheFirstRetrainingStartsWhileItIsReadAndLaterReadingsUseItsModel()
            throws Exception {
        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(brokerDir)) {
            Map<String, String> m = BrokerSettings.service(broker.bootstrapServers(), "pace-" + UUID.randomUUID(),
                    stateDir);
            m.put("retrain.every.samples", "20000");
            m.put("retrain.min.samples", "500");
            m.put("retrain.epochs", "3");
            m.put("retrain.batch-size", "32");
            StreamcastConfig config = StreamcastConfig.of(m);
            Topics topics = Topics.from(config);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topics.readings(), 4, (short) 1))).all().get();
            }
            produceBacklog(broker.bootstrapServers(), topics.readings());

            long acceptedAtFirstStart;
        long maxStartLag;
            try (StreamcastService service = new StreamcastService(config)) {
                service.start();
                StreamMetrics metrics = service.metrics();
                await("a retraining started", Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(2))
                        .until(() -> metrics.retrainingsStarted() > 0);
                acceptedAtFirstStart = metrics.accepted();
                await("the backlog read", Duration.ofMinutes(5)).until(() -> metrics.accepted() == TOTAL);
                await("a model", Duration.ofMinutes(2)).until(() -> service.registry().get("default") != null);
                LOG.info("first retraining started after {} of {} readings; the most samples a retraining started "
                        + "late: {}; retrainings started: {}", acceptedAtFirstStart, TOTAL,
                        metrics.maxRetrainStartLagSamples(), metrics.retrainingsStarted());
                maxStartLag = metrics.maxRetrainStartLagSamples();
            }
            assertTrue(acceptedAtFirstStart < TOTAL / 4, "the first retraining started after " + acceptedAtFirstStart
                    + " of " + TOTAL + " readings");
            // How late retrainings start against their due point (target: 5,000 samples) is bench e2e's figure
            // (retrain_start_lag_samples), measured on a quiet machine; here it depends on how busy the machine is.
            LOG.info("the most samples a retraining started late: {}", maxStartLag);

            // Per partition, forecasts come in processing order: once one is made by a model, all later ones are.
            Map<Integer, Long> firstModelAt = new HashMap<>();
            Map<Integer, Long> naiveAfter = new HashMap<>();
            long lstm = 0;
            List<ConsumerRecord<String, String>> forecasts = readAll(broker.bootstrapServers(), topics.forecasts(),
                    SENSORS * (READINGS_PER_SENSOR - 2));
            for (ConsumerRecord<String, String> r : forecasts) {
                JsonNode f = JSON.readTree(r.value());
                boolean byModel = f.path("model").asText().equals("lstm") && f.path("modelVersion").asLong() >= 1;
                if (byModel) {
                    lstm++;
                    firstModelAt.putIfAbsent(r.partition(), r.offset());
                } else if (firstModelAt.containsKey(r.partition())) {
                    naiveAfter.merge(r.partition(), 1L, Long::sum);
                }
            }
            assertEquals(Map.of(), naiveAfter, "naive forecasts after the partition's first model forecast");
            assertTrue(lstm > forecasts.size() / 2, lstm + " of " + forecasts.size() + " forecasts by a model");
        }
    }

    /** Rising ramps of different slopes with a little noise: a model beats the last value on them at once. */
    private static void produceBacklog(String bootstrap, String topic) {
        Properties props = BrokerSettings.client(bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        Random random = new Random(7);
        long t0 = 1_780_000_000_000L;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int t = 0; t < READINGS_PER_SENSOR; t++) {
                for (int s = 0; s < SENSORS; s++) {
                    double value = 10 * s + (1 + s % 5) * 0.5 * t + 0.05 * random.nextGaussian();
                    producer.send(new ProducerRecord<>(topic, "sensor-" + s,
                            "{\"value\":" + value + ",\"timestamp\":" + (t0 + t * 60_000L) + "}"));
                }
            }
            producer.flush();
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic, int expected) {
        Properties props = BrokerSettings.verifier(bootstrap);
        List<ConsumerRecord<String, String>> out = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await(expected + " forecasts", Duration.ofSeconds(120)).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
            });
        }
        assertEquals(expected, out.size(), "one forecast per eligible reading");
        return out;
    }
}
