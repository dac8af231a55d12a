package dev.streamcast.backtest;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.Topics;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a live service published for a history's series and scores it as the backtest does
 * ({@code streamcast score}): the forecasts and accuracy topics from the beginning, with read_committed (so
 * records of aborted transactions never count), until every reading the topology must answer (see
 * {@link EligibleReadings}) has its forecast and accuracy record, or the timeout. Records of other sensors are
 * skipped. The retrainings come from the models topic's documents, whose {@code training} section holds the
 * decision: only accepted models are published there (rejected ones are not), the topic is compacted (older
 * versions may be gone), and a document does not say at what stream time it was trained.
 */
public final class ServiceOutputsReader {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceOutputsReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private final Properties kafka;
    private final ForecastSettings settings;
    private final Consumer<String> progress;

    /** What the service published for the history, scored, and how complete it was when scored. */
    public record LiveScore(BacktestReport report, Completeness completeness) {
    }

    /**
     * @param kafka    the consumer's configuration (bootstrap servers, security); the rest is set here
     * @param settings the service's settings: its topics, window length and max gap, model ids
     * @param progress receives a line every few seconds while records are missing
     */
    public ServiceOutputsReader(Properties kafka, ForecastSettings settings, Consumer<String> progress) {
        this.kafka = kafka;
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Reads until nothing the history is due is missing, or {@code timeout}; scores what has come.
     *
     * @throws IllegalStateException when one of the topics does not exist
     */
    public LiveScore read(List<SensorReading> readings, double scoreFrom, Duration timeout) {
        ForecastScoring scoring = new ForecastScoring(readings, scoreFrom, settings.intervalLevel());
        Topics topics = settings.topics();
        Set<String> modelIds = scoring.sensorIds().stream().map(settings::modelIdFor).collect(Collectors.toSet());
        // Newest document per model version: a version is published once, but a replayed transaction must not
        // make it two.
        Map<String, ModelDocument> models = new TreeMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextProgress = System.nanoTime() + PROGRESS_EVERY_NANOS;
        Completeness completeness;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties(),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> all = new ArrayList<>(partitions(consumer, topics.forecasts()));
            all.addAll(partitions(consumer, topics.accuracy()));
            List<TopicPartition> modelPartitions = partitions(consumer, topics.models());
            all.addAll(modelPartitions);
            consumer.assign(all);
            consumer.seekToBeginning(all);
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    if (r.topic().equals(topics.models())) {
                        keepModel(r, modelIds, models);
                    } else if (r.key() == null || r.value() == null || !scoring.covers(r.key())) {
                        continue;
                    } else if (r.topic().equals(topics.forecasts())) {
                        scoring.onForecast(r.key(), r.value());
                    } else {
                        scoring.onAccuracy(r.key(), r.value());
                    }
                }
                completeness = scoring.completeness(settings.windowLength(), settings.maxGap());
                if (completeness.complete() && caughtUp(consumer, modelPartitions)) {
                    break;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    break;
                }
                if (now - nextProgress >= 0) {
                    nextProgress = now + PROGRESS_EVERY_NANOS;
                    progress.accept(String.format("waiting: %,d forecasts and %,d accuracy records still missing",
                            completeness.missingForecasts(), completeness.missingAccuracy()));
                }
            }
        }
        return new LiveScore(scoring.report(retrainings(models)), completeness);
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Reading must not create a topic that a mistyped name points at.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        // The service's own keys (application id, state dir...) are for Kafka Streams, not for a consumer.
        props.remove("application.id");
        props.remove("state.dir");
        props.remove("processing.guarantee");
        props.remove("commit.interval.ms");
        props.remove("num.stream.threads");
        return props;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic '" + topic + "' does not exist (has the service run there?)");
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Whether the models topic has been read up to its last committed record. */
    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
    }

    private static void keepModel(ConsumerRecord<String, String> r, Set<String> modelIds,
                                  Map<String, ModelDocument> models) {
        if (r.value() == null || r.key() == null || !modelIds.contains(r.key())) {
            return; // a tombstone, or another model's
        }
        try {
            ModelDocument doc = ModelCodec.parse(r.value());
            if (doc.version() != null) {
                models.put(doc.modelId() + "\u0000" + String.format("%019d", doc.version()), doc);
            }
        } catch (ModelFormatException e) {
            // The service skips such documents too; the score goes on without that retraining.
            LOG.warn("skipping the document at offset {} of {}: {}", r.offset(), r.topic(), e.getMessage());
        }
    }

    /** The models topic's documents as retraining decisions, by model id and version. */
    private static List<BacktestReport.Retraining> retrainings(Map<String, ModelDocument> models) {
        List<BacktestReport.Retraining> out = new ArrayList<>();
        for (ModelDocument doc : models.values()) {
            ModelDocument.TrainingInfo t = doc.training();
            if (t == null) {
                // A model the service did not train (model.initial, or one published by hand).
                out.add(new BacktestReport.Retraining(null, doc.modelId(), "published", doc.version(), null, null,
                        null, null, null, null, "published without a training section"));
                continue;
            }
            // training.samples counts the samples trained on; the held-out ones are not in the document.
            out.add(new BacktestReport.Retraining(null, doc.modelId(), "accepted", doc.version(), null,
                    t.samples() == null ? null : Math.toIntExact(t.samples()), null, t.validationRmse(),
                    t.championRmse(), t.naiveRmse(), t.decision()));
        }
        out.sort(Comparator.comparing(BacktestReport.Retraining::modelId)
                .thenComparingLong(BacktestReport.Retraining::version));
        return out;
    }
}
