package dev.streamcast.service;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.stream.StreamMetrics;
import dev.streamcast.stream.StreamcastTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synthetic readings through the forecasting topology, in Kafka's TopologyTestDriver, while the service starts: the
 * JIT compiles the per-reading path (the parser, the LSTM, the calibration, the JSON messages, the state's encoding)
 * before the first real reading, so that a backlog found at start is drained at speed sooner.
 *
 * <p>Why: a fresh service draining a backlog ran its first 10 seconds at 40 % of its later rate (bench backlog:
 * 32,700 readings/s, then 58,900, then 84,300), most of its CPU then going to the JIT's compiler threads and to
 * interpreted code. It runs on the thread that starts the forecasting client, while that waits for the training
 * client to join its group (a few seconds: StreamcastService.startAfterTrainer), and stops as soon as the training
 * client runs, so it never delays the start. Nothing of it leaves the process: the driver writes to no broker, its
 * registry and metrics are its own, and its state directory is deleted. The readings are in the auto format (a JSON
 * value with its timestamp), so a service with a mapped input format warms up only the shared path's.
 */
final class ForecastingWarmup {

    private static final Logger LOG = LoggerFactory.getLogger(ForecastingWarmup.class);
    /** Sensors of the synthetic stream: enough for the per-sensor cache and the task's pooled calibration. */
    static final int SENSORS = 200;
    /** At most this many readings (about 3 s on one core of a 2-core VM). */
    static final int MOST_READINGS = 100_000;
    // How often the outputs are dropped and the stop condition checked.
    private static final int CHECK_EVERY = 1_000;
    private static final long INTERVAL_MS = 60_000;

    private ForecastingWarmup() {
    }

    /** How many readings went through, and how many forecasts came out. */
    record Warmed(int readings, int forecasts) {
    }

    /**
     * Runs until {@code stop} says so or {@link #MOST_READINGS} readings went through.
     *
     * @param model the model to forecast with (model.initial, or the architecture untrained: the same work)
     */
    static Warmed run(StreamcastConfig config, ForecastSettings settings, Forecaster model, BooleanSupplier stop) {
        Path stateDir = stateDirectory(config);
        try {
            return drive(config, settings, model, stop, stateDir);
        } finally {
            TemporaryDirectories.delete(stateDir, "the forecasting warm-up's state directory");
        }
    }

    private static Warmed drive(StreamcastConfig config, ForecastSettings settings, Forecaster model,
                             BooleanSupplier stop, Path stateDir) {
        Properties props = StreamsProperties.forecasting(config, settings);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamcast-warmup");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "warmup.invalid:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Topics topics = settings.topics();
        long now = System.currentTimeMillis();
        try (TopologyTestDriver driver = new TopologyTestDriver(
                StreamcastTopology.forecasting(settings, new ModelRegistry(), new StreamMetrics()), props,
                Instant.ofEpochMilli(now))) {
            TestInputTopic<String, byte[]> models = driver.createInputTopic(topics.models(), new StringSerializer(),
                    new ByteArraySerializer());
            models.pipeInput(settings.modelId(), ModelCodec.encode(
                    InitialModel.firstVersion(model, settings, Instant.ofEpochMilli(now).toString())));
            List<TestOutputTopic<byte[], byte[]>> outputs = new ArrayList<>();
            for (String topic : List.of(topics.forecasts(), topics.accuracy(), topics.samples(), topics.dlq())) {
                outputs.add(driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
            }
            if (topics.hasAnomalies()) {
                outputs.add(driver.createOutputTopic(topics.anomalies(), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()));
            }
            TestInputTopic<String, String> readings = driver.createInputTopic(topics.readings(),
                    new StringSerializer(), new StringSerializer());
            // A reading a minute per sensor, ending now; each a daily cycle with noise around its own level.
            long first = now - (long) (MOST_READINGS / SENSORS) * INTERVAL_MS;
            SplittableRandom random = new SplittableRandom(1);
            int n = 0;
            int forecasts = 0;
            while (n < MOST_READINGS) {
                int sensor = n % SENSORS;
                int k = n / SENSORS;
                long timestamp = first + k * INTERVAL_MS;
                double value = 10 + sensor + 3 * Math.sin(2 * Math.PI * k / 1440.0) + random.nextGaussian();
                readings.pipeInput("warmup-" + sensor, "{\"value\": " + value + ", \"timestamp\": " + timestamp + "}",
                        timestamp);
                n++;
                if (n % CHECK_EVERY == 0) {
                    // The driver keeps every output record until read; the first output is the forecasts topic.
                    forecasts += outputs.get(0).readRecordsToList().size();
                    outputs.forEach(TestOutputTopic::readRecordsToList);
                    if (stop.getAsBoolean()) {
                        break;
                    }
                }
            }
            LOG.debug("forecasting warm-up: {} readings, {} forecasts", n, forecasts);
            return new Warmed(n, forecasts);
        }
    }

    /** A directory of its own beside the service's state (kafka.state.dir), or under the system's temp directory. */
    private static Path stateDirectory(StreamcastConfig config) {
        try {
            if (config.isSet("kafka.state.dir")) {
                Path parent = Path.of(config.get("kafka.state.dir"));
                Files.createDirectories(parent);
                return Files.createTempDirectory(parent, "warmup-");
            }
            return Files.createTempDirectory("streamcast-warmup-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the warm-up's state directory", e);
        }
    }
}
