package dev.streamcast.faults;

import static dev.streamcast.testing.Waits.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Reads Streamcast's output topics (forecasts, accuracy, training samples, dead letters, models) from the beginning
 * with {@code isolation.level=read_committed}, the way a downstream consumer sees them, and keeps what it read in
 * compact form. Reading is incremental: {@link #drain()} continues where the last call stopped.
 */
final class OutputTopics implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** naiveReason: null for the model's own forecast; "no-model", "floor" or "non-finite" for a naive one. */
    record Forecast(String key, String sensor, long timestamp, double[] window, double forecast, String modelId,
                    long modelVersion, String model, String naiveReason, int partition, long offset) {

        /**
         * Served under a trained model: the model's own forecast, or the last value chosen by the per-sensor floor
         * because that model has been worse than it for this sensor lately (the floor is the model's decision too).
         */
        boolean underModel() {
            return modelVersion >= 1 && ("lstm".equals(model) || "floor".equals(naiveReason));
        }
    }

    record Accuracy(String key, String sensor, long timestamp, double forecast, double actual, long modelVersion,
                    int partition) {
    }

    /** One training sample of a batch on the internal samples topic (its format: stream/SampleBatch). */
    record Sample(String key, double[] window, double actual) {
    }

    /** A dead letter: the original key and value and the headers (null when absent). */
    record DeadLetter(byte[] key, byte[] value, String reason, String sourceTopic, int sourcePartition,
                      long sourceOffset, Map<String, String> headers, long offset) {
    }

    /**
     * A record of the models topic; {@code valid} when it decodes to a usable model (then {@code version} is set, and
     * {@code weights} identifies its layers and weights: equal for a re-publication of the same model).
     */
    record Model(String key, boolean valid, long version, String problem, int partition, long offset, int bytes,
                 int weights) {
    }

    /** A record that could not be read as its topic's message format. */
    record Unreadable(String topic, int partition, long offset, String problem) {
    }

    private final Names names;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> assigned = new ArrayList<>();

    final List<Forecast> forecasts = new ArrayList<>();
    /** The step-1 accuracy records (a record without "step" is step 1's). */
    final List<Accuracy> accuracy = new ArrayList<>();
    final List<Sample> samples = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final List<Model> models = new ArrayList<>();
    final List<Unreadable> unreadable = new ArrayList<>();

    /** The topic names (Streamcast's defaults unless a scenario renames them). */
    record Names(String readings, String forecasts, String accuracy, String samples, String dlq, String models) {
        static Names defaults() {
            return new Names("sensor-readings", "sensor-forecasts", "streamcast-accuracy",
                    "streamcast-training-samples", "streamcast-dlq", "streamcast-models");
        }
    }

    OutputTopics(String bootstrap, Names names) {
        this.names = names;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "fault-suite-verifier-" + UUID.randomUUID());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads every output topic up to its current end (the last stable offset, for read_committed). */
    void drain(Duration timeout) {
        if (assigned.isEmpty()) {
            for (String topic : List.of(names.forecasts(), names.accuracy(), names.samples(), names.dlq(),
                    names.models())) {
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(60))) {
                    assigned.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(60));
        try {
            await("the output topics read to their end", timeout).pollInterval(Duration.ZERO).until(() -> {
                if (caughtUp(end)) {
                    return true;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    take(r);
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the verifier could not read the output topics to their end within "
                    + timeout.toSeconds() + " s (an open transaction?): end " + end, e);
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(60)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        if (topic.equals(names.dlq())) {
            deadLetters.add(deadLetter(r));
            return;
        }
        if (topic.equals(names.models())) {
            models.add(model(r));
            return;
        }
        if (topic.equals(names.samples())) {
            takeSampleBatch(r);
            return;
        }
        try {
            JsonNode node = JSON.readTree(r.value());
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            String sensor = node.path("sensorId").asText(null);
            long timestamp = Instant.parse(node.path("timestamp").asText()).toEpochMilli();
            if (topic.equals(names.forecasts())) {
                forecasts.add(new Forecast(key, sensor, timestamp, doubles(node.path("window")),
                        node.path("forecast").asDouble(Double.NaN), node.path("modelId").asText(null),
                        node.path("modelVersion").asLong(-1), node.path("model").asText(null),
                        node.path("naiveReason").asText(null), r.partition(), r.offset()));
            } else if (topic.equals(names.accuracy()) && node.path("step").asInt(1) == 1) {
                // One record per scored reading: step 1's (forecast.horizon > 1 adds later steps' records, not kept).
                accuracy.add(new Accuracy(key, sensor, timestamp, node.path("forecast").asDouble(Double.NaN),
                        node.path("actual").asDouble(Double.NaN), node.path("modelVersion").asLong(-1), r.partition()));
            }
        } catch (IOException | RuntimeException e) {
            unreadable.add(new Unreadable(topic, r.partition(), r.offset(), e.toString()));
        }
    }

    /**
     * Reads a batch of training samples: 'S' 'B', format 2, origin (8 bytes), window length w, count n (ints), then n x
     * (w values, the sensor's level and step RMS, the value that followed) as big-endian doubles. Read here
     * independently of the service's code, so the test checks the format as written.
     */
    private void takeSampleBatch(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(r.value());
        if (r.value().length < 19 || b.get(0) != 'S' || b.get(1) != 'B' || b.get(2) != 2) {
            unreadable.add(new Unreadable(r.topic(), r.partition(), r.offset(), "not a sample batch"));
            return;
        }
        int w = b.getInt(11);
        int n = b.getInt(15);
        if (r.value().length != 19 + n * 8 * (w + 3)) {
            unreadable.add(new Unreadable(r.topic(), r.partition(), r.offset(), "a truncated sample batch"));
            return;
        }
        b.position(19);
        for (int i = 0; i < n; i++) {
            double[] window = new double[w];
            for (int k = 0; k < w; k++) {
                window[k] = b.getDouble();
            }
            b.getDouble(); // level
            b.getDouble(); // step RMS
            samples.add(new Sample(key, window, b.getDouble()));
        }
    }

    private static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        int partition = -1;
        long offset = -1;
        try {
            partition = Integer.parseInt(headers.getOrDefault("streamcast.source.partition", "-1"));
            offset = Long.parseLong(headers.getOrDefault("streamcast.source.offset", "-1"));
        } catch (NumberFormatException e) {
            // left at -1: the verifier reports a dead letter it cannot trace back
        }
        return new DeadLetter(r.key(), r.value(), headers.get("streamcast.error.reason"),
                headers.get("streamcast.source.topic"), partition, offset, headers, r.offset());
    }

    private static Model model(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        int bytes = r.value() == null ? 0 : r.value().length;
        try {
            ModelDocument doc = ModelCodec.parse(r.value());
            if (!ModelCodec.hasWeights(doc)) {
                return new Model(key, false, -1, "no weights", r.partition(), r.offset(), bytes, 0);
            }
            Forecaster f = ModelCodec.toForecaster(doc, 0);
            if (!f.modelId().equals(key) || f.windowLength() != FaultCluster.WINDOW_LENGTH) {
                return new Model(key, false, -1, "modelId " + f.modelId() + ", window length " + f.windowLength(),
                        r.partition(), r.offset(), bytes, 0);
            }
            int weights = JSON.readTree(r.value()).path("layers").toString().hashCode();
            return new Model(key, true, f.version(), null, r.partition(), r.offset(), bytes, weights);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return new Model(key, false, -1, e.toString(), r.partition(), r.offset(), bytes, 0);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble(Double.NaN);
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
