package dev.streamcast.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.stream.StreamNames;
import dev.streamcast.stream.TrainerProcessor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class StreamsPropertiesTest {

    @Test
    void theTrainingClientIsAGroupOfItsOwnWithOneThreadThatPollsAsOftenAsItChecksThePace() {
        StreamcastConfig config = StreamcastConfig.of(Map.of("kafka.bootstrap.servers", "localhost:9",
                "kafka.application.id", "app", "kafka.num.stream.threads", "2"));
        StreamcastService service = new StreamcastService(config);
        Properties trainer = service.trainerStreamsProperties();
        assertEquals("app" + StreamNames.TRAINER_APPLICATION_SUFFIX,
                trainer.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals("1", trainer.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertEquals(Long.toString(TrainerProcessor.PACE_CHECK_MS), trainer.getProperty(StreamsConfig.POLL_MS_CONFIG));
        // The forecasting client keeps its own settings.
        Properties forecasting = service.streamsProperties();
        assertEquals("app", forecasting.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals("2", forecasting.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
    }

    @Test
    void theCommitIntervalFollowsTheGuaranteeUnlessConfiguredAndTheSamplesKeepItsPace() {
        // Exactly-once by default: the samples every 100 ms, and the reading tasks ask for a commit as often while
        // caught up; Kafka Streams' own interval is the backlog's.
        assertCommitInterval(ForecastSettings.EXACTLY_ONCE_COMMIT_MS, ForecastSettings.BACKLOG_COMMIT_MS, Map.of());
        assertCommitInterval(ForecastSettings.EXACTLY_ONCE_COMMIT_MS, ForecastSettings.BACKLOG_COMMIT_MS,
                Map.of("kafka.processing.guarantee", "exactly_once_v2"));
        assertCommitInterval(ForecastSettings.AT_LEAST_ONCE_COMMIT_MS, ForecastSettings.AT_LEAST_ONCE_COMMIT_MS,
                Map.of("kafka.processing.guarantee", "at_least_once"));
        assertCommitInterval(250, 250, Map.of("kafka.processing.guarantee", "at_least_once",
                "kafka.commit.interval.ms", "250"));
        // A configured interval is kept as it is, exactly-once too: no commits on request.
        assertCommitInterval(100, 100, Map.of("kafka.commit.interval.ms", "100"));
    }

    private static void assertCommitInterval(long samplesMs, long kafkaMs, Map<String, String> own) {
        Map<String, String> m = new HashMap<>(own);
        m.put("kafka.bootstrap.servers", "localhost:9");
        StreamcastService service = new StreamcastService(StreamcastConfig.of(m));
        assertEquals(samplesMs, service.settings().samplesFlushMs(), "the samples' batches, " + own);
        assertEquals(samplesMs < kafkaMs, service.settings().commitsWhenCaughtUp(), "commits on request, " + own);
        assertEquals(Long.toString(kafkaMs),
                service.streamsProperties().getProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG), "Kafka Streams, "
                + own);
        assertEquals(Long.toString(kafkaMs),
                service.trainerStreamsProperties().getProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG),
                "the trainer, " + own);
    }

    @Test
    void theProducersBatchUpTo128KiBUnlessConfigured() {
        String batchSize = StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG);
        StreamcastService service = new StreamcastService(StreamcastConfig.of(Map.of("kafka.bootstrap.servers",
                "x:9")));
        assertEquals(Integer.toString(128 * 1024), service.streamsProperties().getProperty(batchSize));
        assertEquals(Integer.toString(128 * 1024), service.trainerStreamsProperties().getProperty(batchSize));
        StreamcastService own = new StreamcastService(StreamcastConfig.of(Map.of("kafka.bootstrap.servers", "x:9",
                "kafka.batch.size", "1000")));
        assertNull(own.streamsProperties().getProperty(batchSize), "the configured batch.size applies");
        assertEquals("1000", own.streamsProperties().getProperty(ProducerConfig.BATCH_SIZE_CONFIG));
    }

    @Test
    void theProducersCompressWithGzipAtLevelOneUnlessConfigured() {
        String compression = StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG);
        String level = StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_GZIP_LEVEL_CONFIG);
        StreamcastService service = new StreamcastService(StreamcastConfig.of(Map.of("kafka.bootstrap.servers",
                "x:9")));
        assertEquals("gzip", service.streamsProperties().getProperty(compression));
        assertEquals("gzip", service.trainerStreamsProperties().getProperty(compression));
        assertEquals("1", service.streamsProperties().getProperty(level));
        assertEquals("1", service.trainerStreamsProperties().getProperty(level));
        for (String key : List.of("kafka.compression.type", "kafka.producer.compression.type")) {
            Properties own = new StreamcastService(StreamcastConfig.of(Map.of("kafka.bootstrap.servers", "x:9", key,
                    "zstd"))).streamsProperties();
            assertEquals("zstd", own.getProperty(compression, own.getProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG)),
                    key);
        }
        for (String key : List.of("kafka.compression.gzip.level", "kafka.producer.compression.gzip.level")) {
            Properties own = new StreamcastService(StreamcastConfig.of(Map.of("kafka.bootstrap.servers", "x:9", key,
                    "9"))).streamsProperties();
            assertEquals("9", own.getProperty(level, own.getProperty(ProducerConfig.COMPRESSION_GZIP_LEVEL_CONFIG)),
                    key);
            assertEquals("gzip", own.getProperty(compression));
        }
    }

    @Test
    void theProducersRequestsHoldAModelRecordWhateverIsConfiguredAndALargerLimitIsKept() {
        String maxRequest = StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        String needed = Integer.toString(16 * 1024 * 1024);
        for (Map<String, String> own : List.of(Map.<String, String>of(), Map.of("kafka.max.request.size", "1000"),
                Map.of("kafka.producer.max.request.size", "1000"))) {
            assertEquals(needed, service(own).streamsProperties().getProperty(maxRequest), own.toString());
            assertEquals(needed, service(own).trainerStreamsProperties().getProperty(maxRequest), own.toString());
        }
        String larger = Integer.toString(64 * 1024 * 1024);
        assertEquals(larger, service(Map.of("kafka.max.request.size", larger)).streamsProperties()
                .getProperty(maxRequest), "the user's larger limit, which the prefixed default would have hidden");
        assertEquals(larger, service(Map.of("kafka.producer.max.request.size", larger)).streamsProperties()
                .getProperty(maxRequest));
    }

    private static StreamcastService service(Map<String, String> own) {
        Map<String, String> config = new java.util.HashMap<>(own);
        config.put("kafka.bootstrap.servers", "x:9");
        return new StreamcastService(StreamcastConfig.of(config));
    }
}
