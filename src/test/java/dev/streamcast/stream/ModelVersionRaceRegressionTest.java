package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the kill -9 scenario's log ("ignoring model 'default' version 4: version 4 is current"): when a
 * retraining finishes and the next one is due at the same sample, the trainer publishes the finished model as
 * version N+1 and, in the same step, starts the next challenger from the champion the registry still holds
 * (version N: the global store has not read N+1 back yet). That challenger is published as version N+1 again: two
 * different models under one version number. Every instance ignores the second one while it runs, but the models
 * topic is compacted by model id, so after compaction (or on a fresh instance that reads only the last record) the
 * second one is what version N+1 means: instances of one application serve different models under one version.
 */
@Tag("topology")
class ModelVersionRaceRegressionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    @Test
    void aModelVersionIsPublishedOnlyOnceEvenWhenTheNextRetrainingIsDueAsTheLastOneFinishes() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("retrain.every.samples", "40");
        config.put("retrain.min.samples", "40");
        config.put("retrain.buffer.size", "400");
        config.put("retrain.epochs", "3");
        ForecastSettings settings = ForecastSettings.from(StreamcastConfig.of(config));
        ModelRegistry registry = new ModelRegistry();
        // Training runs when the test says so, as it does on the service's background thread.
        Queue<Runnable> trainings = new ArrayDeque<>();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "model-version-race");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // As the service sets it; left unset, the driver warns that the handler is off for the global thread.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        try (TopologyTestDriver driver = new TopologyTestDriver(
                StreamcastTopology.build(settings, registry, new StreamMetrics(), trainings::add), props)) {
            TestInputTopic<String, byte[]> models = driver.createInputTopic(settings.topics().models(),
                    new StringSerializer(), new ByteArraySerializer());
            TestInputTopic<String, byte[]> samples = driver.createInputTopic(settings.topics().samples(),
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, String> published = driver.createOutputTopic(settings.topics().models(),
                    new StringDeserializer(), new StringDeserializer());

            Forecaster champion = ModelCodec.toForecaster(settings.architecture(), 7)
                    .withIdentity("default", 1, "2026-11-26T00:00:00Z", null);
            models.pipeInput("default", ModelCodec.encode(champion));
            assertEquals(1, registry.get("default").version());

            int t = 0;
            for (; t < 40; t++) {
                samples.pipeInput("default", sample(t));
            }
            assertEquals(1, trainings.size(), "the 40th sample starts a retraining");
            for (; t < 80; t++) {
                samples.pipeInput("default", sample(t)); // the next one is due meanwhile, but one is running
            }
            trainings.remove().run();
            // The next sample publishes the finished challenger; the retraining that is due already starts with it
            // (today, from the old champion) or once the published model serves, a sample or two later.
            for (int k = 0; k < 5 && trainings.isEmpty(); k++) {
                samples.pipeInput("default", sample(t++));
            }
            assertEquals(1, trainings.size(), "the next retraining started");
            trainings.remove().run();
            for (int k = 0; k < 5; k++) {
                samples.pipeInput("default", sample(t++));
            }

            List<Long> versions = new ArrayList<>();
            for (String doc : published.readValuesToList()) {
                versions.add(JSON.readTree(doc).path("version").asLong());
            }
            assertTrue(versions.size() >= 1, "a challenger was published");
            for (int i = 1; i < versions.size(); i++) {
                assertTrue(versions.get(i) > versions.get(i - 1), "each published model has a new version: "
                        + versions);
            }
        }
    }

    /**
     * A batch of one training sample of a rising ramp: window [t, t+1, t+2] at level 10 * (t % 7), then t+3; in the
     * samples topic's format ('S' 'B', format 2, origin, window length, count, then the window, level, step RMS and
     * the value that followed: stream/SampleBatch).
     */
    private static byte[] sample(int t) {
        double base = 10 * (t % 7) + t;
        return ByteBuffer.allocate(19 + 48).put((byte) 'S').put((byte) 'B').put((byte) 2).putLong(0).putInt(3)
                .putInt(1).putDouble(base).putDouble(base + 1).putDouble(base + 2).putDouble(base + 1).putDouble(1)
                .putDouble(base + 3).array();
    }
}
