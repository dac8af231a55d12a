package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A corrupt record and a 5 MB record land on the models topic under the model's own key. Forecasting goes on with
 * the last good model: the running service skips them, and so does a restarted one reading the topic from the start.
 *
 * <p>The broker refuses the 5 MB record on a topic with Kafka's default {@code max.message.bytes} (1 MB); that
 * refusal is itself a fine outcome and is checked. The topic's limit is then raised to 8 MB, as an operator would
 * for large models, and the record is written.
 */
@Tag("faults")
class ModelsTopicFaultsTest extends FaultScenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BIG = 5 * 1024 * 1024;

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void corruptAndOversizedModelRecordsAreSkippedAndTheLastGoodModelServesOn() throws Exception {
        begin("models topic faults");

        // The good model: version 1, published by the service itself at start (model.initial); no retraining, so
        // version 1 stays the last good one.
        Forecaster good = ModelCodec.decode(Files.readAllBytes(Path.of("config/model.json")), seed)
                .withIdentity("default", 1, "2026-11-26T00:00:00Z", null);
        byte[] goodDoc = ModelCodec.encode(good);
        Path modelFile = dir.resolve("initial-model.json");
        Files.write(modelFile, ModelCodec.write(ModelCodec.toDocument(good)));

        startCluster("models-topic");
        ServiceInstance service = cluster.instance("streamcast", Map.of(
                "model.initial", modelFile.toString(),
                "retrain.every.samples", Integer.toString(Integer.MAX_VALUE),
                "retrain.every", "PT8760H")).start(Duration.ofMinutes(2));
        int rounds = Math.min(40, suite.readingsPerSensor());
        TrafficPlan plan = TrafficPlan.build(suite.sensors(), rounds, 0, 0, seed);
        LoadProducer producer = cluster.producer(plan);
        OutputTopics outputs = cluster.outputs();

        int first = plan.roundStart(rounds / 2);
        producer.sendAndWait(0, first, suite.readingsPerSecond(), Duration.ofMinutes(10));
        cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));
        outputs.drain(Duration.ofMinutes(2));
        assertTrue(outputs.forecasts.stream().allMatch(f -> f.underModel() && f.modelVersion() == 1),
                "before the faults, every forecast is version 1's");
        log.say("first " + first + " readings forecast with version 1");

        // The faults, under the model's own key.
        byte[] truncated = Arrays.copyOf(goodDoc, goodDoc.length / 2);
        byte[] garbage = new byte[4096];
        new Random(seed).nextBytes(garbage);
        byte[] big = oversizedModel(goodDoc);
        String refusal;
        int written = 2;
        try (KafkaProducer<String, byte[]> models = modelsProducer()) {
            send(models, truncated);
            send(models, garbage);
            try {
                send(models, big);
                written++;
                refusal = "accepted by the default topic configuration";
            } catch (ExecutionException e) {
                assertTrue(e.getCause() instanceof RecordTooLargeException, "refused as too large: " + e.getCause());
                refusal = "refused by the broker (" + e.getCause().getClass().getSimpleName() + ") with the default "
                        + "max.message.bytes";
            }
            log.say("5 MB record: " + refusal + "; raising the topic's max.message.bytes to 8 MB");
            raiseMaxMessageBytes();
            RecordMetadata at = send(models, big);
            written++;
            log.say("5 MB record written at offset " + at.offset() + " once the topic allows it");
        }

        int second = plan.roundStart(rounds * 3 / 4);
        producer.sendAndWait(first, second, suite.readingsPerSecond(), Duration.ofMinutes(10));
        cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));
        outputs.drain(Duration.ofMinutes(2));
        long after = outputs.forecasts.stream().filter(f -> f.modelVersion() == 1 && f.underModel()).count();
        assertEquals(outputs.forecasts.size(), after, "after the faults, every forecast is still version 1's");
        log.say("the running service forecast on with version 1");

        // A restart reads the models topic from the start, faults included.
        service.stop();
        service.start(Duration.ofMinutes(2));
        producer.sendAndWait(second, plan.size(), suite.readingsPerSecond(), Duration.ofMinutes(10));
        cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));

        ConservationVerifier.Report report = cluster.verify(producer, outputs, Duration.ofSeconds(60));
        log.say(report.summary());
        long lstmV1 = outputs.forecasts.stream().filter(f -> f.modelVersion() == 1 && "lstm".equals(f.model())).count();
        List<String> replaced = service.threadReplacements();
        // The compacted topic keeps only a key's last record: it must be the good model again, or the log cleaner
        // would delete the last good model (ModelsTopicCompactionRegressionTest).
        OutputTopics.Model last = outputs.models.stream().filter(m -> "default".equals(m.key()))
                .reduce((a, b) -> b).orElseThrow();
        boolean repaired = last.valid() && last.version() == 1;
        boolean pass = report.ok() && lstmV1 == outputs.forecasts.size() && replaced.isEmpty() && repaired;
        log.result(suite, seed, (pass ? "PASS" : "FAIL") + ": corrupt, random and 5 MB records under the model's "
                + "key (5 MB " + refusal + "); " + lstmV1 + "/" + outputs.forecasts.size()
                + " forecasts by the last good model (v1), through a restart; last record under the key: "
                + (repaired ? "the good model, written again" : "NOT the good model (" + last + ")") + "; "
                + replaced.size() + " stream threads replaced");
        assertTrue(report.ok(), report.summary());
        assertEquals(written, report.invalidModels, "the bad records are on the topic, and skipped");
        assertEquals(outputs.forecasts.size(), lstmV1, "every forecast, also after the restart, is version 1's");
        assertTrue(replaced.isEmpty(), "no stream thread died: " + replaced);
        assertTrue(repaired, "the last record under the model's key is the good model, so compaction keeps it: "
                + last);
        service.assertAlive("at the end");
    }

    /** A model document of about 5 MB under the model's key, version 99, whose kernel has the wrong shape. */
    private static byte[] oversizedModel(byte[] goodDoc) throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(goodDoc);
        doc.put("version", 99);
        ObjectNode weights = (ObjectNode) doc.get("layers").get(0).get("weights");
        ArrayNode kernel = JSON.createArrayNode();
        ArrayNode row = kernel.addArray();
        Random random = new Random(5);
        while (row.size() * 18 < BIG) { // about 19 bytes a number
            row.add(random.nextDouble());
        }
        weights.set("kernel", kernel);
        byte[] bytes = JSON.writeValueAsBytes(doc);
        assertTrue(bytes.length >= BIG && bytes.length < 7 * 1024 * 1024, "about 5 MB: " + bytes.length);
        return bytes;
    }

    private KafkaProducer<String, byte[]> modelsProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 * 1024 * 1024));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(64 * 1024 * 1024));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static RecordMetadata send(KafkaProducer<String, byte[]> producer, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>("streamcast-models", "default", value)).get(60, TimeUnit.SECONDS);
    }

    private void raiseMaxMessageBytes() throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "streamcast-models");
        Map<ConfigResource, Collection<AlterConfigOp>> change = Map.of(topic, List.of(new AlterConfigOp(
                new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024)),
                AlterConfigOp.OpType.SET)));
        cluster.admin().incrementalAlterConfigs(change).all().get(60, TimeUnit.SECONDS);
    }
}
