package dev.streamcast.service;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.stream.InternalErrorHandler;
import dev.streamcast.stream.StreamNames;
import dev.streamcast.stream.TrainerProcessor;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * The Kafka Streams properties of the service's two clients: what the configuration's kafka.* keys give, with
 * Streamcast's defaults where they give nothing (exactly-once, the dead-letter topic and the handlers that feed it,
 * read_committed, the commit interval the sample batches follow, the producers' batching and compression).
 */
public final class StreamsProperties {

    /** The producers' batch size when kafka.producer.batch.size is unset. */
    static final String PRODUCER_BATCH_BYTES = Integer.toString(128 * 1024);
    /** The producers' compression when kafka.producer.compression.type is unset. */
    static final String PRODUCER_COMPRESSION = "gzip";
    /** Their gzip level when kafka.producer.compression.gzip.level is unset. */
    static final String PRODUCER_GZIP_LEVEL = "1";

    private static final String MIN_INSYNC_REPLICAS = "topics.min-insync-replicas";

    private StreamsProperties() {
    }

    /** topics.min-insync-replicas, for Streamcast's topics and Kafka Streams' own; null when unset (the broker's). */
    static Integer minInsyncReplicas(StreamcastConfig config) {
        return config.isSet(MIN_INSYNC_REPLICAS) ? config.getInt(MIN_INSYNC_REPLICAS, 1, Short.MAX_VALUE) : null;
    }

    /**
     * The forecasting client's properties: the kafka.* keys, Streamcast's defaults, and the dead-letter topic. The
     * backtest and the topology tests run the topology with the same ones.
     */
    public static Properties forecasting(StreamcastConfig config, ForecastSettings settings) {
        Properties props = config.kafkaProperties();
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "streamcast");
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Kafka Streams' changelog and repartition topics are replicated like Streamcast's own.
        props.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.get("topics.replication-factor"));
        Integer minInsyncReplicas = minInsyncReplicas(config);
        if (minInsyncReplicas != null) {
            props.putIfAbsent(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                    minInsyncReplicas.toString());
        }
        // Anything the processors did not foresee goes to the dead-letter topic instead of stopping the stream, with
        // the reason internal-error (InternalErrorHandler).
        props.putIfAbsent(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, settings.topics().dlq());
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                InternalErrorHandler.class.getName());
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // The partition assignor builds a StreamsConfig of its own from the main consumer's settings, which lack the
        // key above, and warns at every start that the global handler is off; giving the key to that consumer too
        // keeps the start free of a warning nobody can act on.
        String globalHandler = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
        props.putIfAbsent(StreamsConfig.mainConsumerPrefix(globalHandler), props.get(globalHandler));
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The guarantee's commit interval when none is configured (ForecastSettings): the samples' batches follow it.
        // Under exactly-once the longer backlog interval, and the reading tasks ask for the 100 ms commits while they
        // are caught up (ForecastSettings.BACKLOG_COMMIT_MS).
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(settings.backlogCommitMs()));
        // Every task of this topology reads one partition, so there is nothing to wait for to keep partitions in
        // timestamp order; -1 also skips the idling bookkeeping Kafka Streams does each time a task's buffer runs
        // empty (a String.format per check, 3 % of the stream thread in a profile).
        props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        // Kafka Streams makes its producers wait up to 100 ms to fill a batch; a forecast is worth most when it is
        // fresh, and under a backlog batches fill long before 5 ms anyway (Kafka 4's client default). Under
        // exactly_once_v2 the commit interval decides when forecasts become visible, not this.
        producerDefault(props, ProducerConfig.LINGER_MS_CONFIG, "5");
        // Under a backlog a batch fills before linger.ms passes: Kafka's 16 KiB holds about 50 forecasts, so the
        // broker and the producer's sender handled a request for every 50 records of each partition. 128 KiB cut the
        // forecasting drain's CPU per reading by about a fifth (BENCHMARKS.md); at a steady rate linger.ms sends a
        // batch long before it is full, so freshness does not change.
        producerDefault(props, ProducerConfig.BATCH_SIZE_CONFIG, PRODUCER_BATCH_BYTES);
        // The outputs are JSON whose field names repeat in every record, so a batch compresses several times over; the
        // broker, the producer's sender and every consumer then move a fraction of the bytes. gzip because every
        // mainstream client decodes it with no plugin (kafkajs 2 cannot read lz4, snappy or zstd without one), at level
        // 1 because higher levels cost half as much CPU again for no fewer bytes on these batches. Measured side by
        // side in one JVM, broker included (BENCHMARKS.md): the forecasting drain at 42-52 us of CPU per reading at
        // gzip level 1 against 22-30 uncompressed and 57-85 at level 6; on disk 296-313 bytes per reading at level 1,
        // 847-889 uncompressed, 344-356 with lz4. At a steady rate the CPU is a few percent of a core; the bytes stay
        // on disk for the retention period and go to every consumer.
        producerDefault(props, ProducerConfig.COMPRESSION_TYPE_CONFIG, PRODUCER_COMPRESSION);
        producerDefault(props, ProducerConfig.COMPRESSION_GZIP_LEVEL_CONFIG, PRODUCER_GZIP_LEVEL);
        // The trainer publishes model documents of up to Topics.MAX_MODEL_BYTES (Kafka's default limit is 1 MB).
        String maxRequest = StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        props.put(maxRequest, atLeastModelRecord(props.getProperty(maxRequest,
                props.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))));
        return props;
    }

    /**
     * A producer's max.request.size: the configured one (null: none), raised to what a model record needs. A smaller
     * configured value would make every model publication fail; a larger one is the user's to keep.
     */
    static String atLeastModelRecord(String configured) {
        long needed = Long.parseLong(Topics.MAX_MODEL_RECORD_BYTES);
        if (configured == null) {
            return Topics.MAX_MODEL_RECORD_BYTES;
        }
        try {
            return Long.parseLong(configured.trim()) >= needed ? configured.trim() : Topics.MAX_MODEL_RECORD_BYTES;
        } catch (NumberFormatException e) {
            // Not a number: left for Kafka's own validation to report with the setting's name.
            return configured;
        }
    }

    /**
     * Sets a producer setting of the service's, unless the configuration gives one: for the producers
     * ({@code kafka.producer.*}) or for every client (Kafka Streams lets the prefixed key win, so a default under the
     * prefix would hide the user's own).
     */
    private static void producerDefault(Properties props, String key, String value) {
        if (!props.containsKey(key)) {
            props.putIfAbsent(StreamsConfig.producerPrefix(key), value);
        }
    }

    /**
     * The training client's properties: the forecasting client's, under the application id + "-trainer" (a client
     * with another topology must be another group) and with one stream thread (it only files batches; training runs
     * on the trainer thread).
     */
    static Properties training(Properties forecasting) {
        Properties props = new Properties();
        props.putAll(forecasting);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)
                + StreamNames.TRAINER_APPLICATION_SUFFIX);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        // Its pace checks (finished retrainings, the next one due) are wall-clock punctuations, which run only between
        // polls: with Kafka Streams' 100 ms poll they waited for the next batch or the poll's end, and at 35,000
        // samples/s a retraining that followed a finished one started up to 7,000 samples late.
        props.put(StreamsConfig.POLL_MS_CONFIG, Long.toString(TrainerProcessor.PACE_CHECK_MS));
        return props;
    }
}
