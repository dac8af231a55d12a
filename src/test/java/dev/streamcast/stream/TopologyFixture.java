package dev.streamcast.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.service.StreamsProperties;
import dev.streamcast.wire.SampleBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The real topology (StreamcastTopology.build) in a TopologyTestDriver, with JSON helpers for its topics. */
final class TopologyFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    final ForecastSettings settings;
    final ModelRegistry registry = new ModelRegistry();
    final StreamMetrics metrics = new StreamMetrics();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> readings;
    final TestInputTopic<String, byte[]> models;
    final TestOutputTopic<String, String> forecasts;
    final TestOutputTopic<String, String> accuracy;
    final TestOutputTopic<String, String> anomalies;
    final TestOutputTopic<String, byte[]> samples;
    final TestOutputTopic<byte[], byte[]> dlq;
    final TestOutputTopic<String, String> modelsOut;

    TopologyFixture(StreamcastConfig config, Path stateDir, Executor executor) {
        this(config, stateDir, executor, new Properties());
    }

    /**
     * With the service's own Kafka Streams properties (its exception handlers, counting in {@link #metrics}) under
     * the driver's: what a record a processor fails on meets in the running service.
     */
    static TopologyFixture withServiceHandlers(StreamcastConfig config, Path stateDir) {
        ForecastSettings settings = ForecastSettings.from(config);
        Properties service = StreamsProperties.forecasting(config, settings);
        service.remove(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        service.remove(StreamsConfig.STATE_DIR_CONFIG);
        return new TopologyFixture(config, stateDir, Runnable::run, service);
    }

    private TopologyFixture(StreamcastConfig config, Path stateDir, Executor executor, Properties base) {
        settings = ForecastSettings.from(config);
        Properties props = new Properties();
        props.putAll(base);
        if (base.containsKey(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG)) {
            InternalErrorHandler.countIn(props, metrics);
        }
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamcast-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // As the service sets it (StreamsProperties.forecasting); left unset, every driver warned that the
        // processing exception handler is not enabled for the global thread.
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        driver = new TopologyTestDriver(StreamcastTopology.build(settings, registry, metrics, executor), props, T0);
        Topics t = settings.topics();
        readings = driver.createInputTopic(t.readings(), new ByteArraySerializer(), new ByteArraySerializer(), T0,
                Duration.ofSeconds(1));
        models = driver.createInputTopic(t.models(), new StringSerializer(), new ByteArraySerializer());
        forecasts = driver.createOutputTopic(t.forecasts(), new StringDeserializer(), new StringDeserializer());
        accuracy = driver.createOutputTopic(t.accuracy(), new StringDeserializer(), new StringDeserializer());
        anomalies = t.hasAnomalies()
                ? driver.createOutputTopic(t.anomalies(), new StringDeserializer(), new StringDeserializer()) : null;
        samples = driver.createOutputTopic(t.samples(), new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(t.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        modelsOut = driver.createOutputTopic(t.models(), new StringDeserializer(), new StringDeserializer());
    }

    TopologyFixture(StreamcastConfig config, Path stateDir) {
        this(config, stateDir, Runnable::run);
    }

    /**
     * A reading as a bare number, with the record timestamp T0 + seconds; then one commit interval of wall-clock time
     * passes, so the reading tasks send their batch of training samples, as if each reading were its own commit.
     */
    void reading(String sensor, String value, long seconds) {
        readings.pipeInput(bytes(sensor), bytes(value), T0.plusSeconds(seconds));
        commitInterval();
    }

    /** Lets one commit interval of wall-clock time pass: batches of training samples are sent. */
    void commitInterval() {
        driver.advanceWallClockTime(Duration.ofMillis(settings.samplesFlushMs()));
    }

    /** One training sample as the trainer receives it (the window: its row of model.features, step-major). */
    record Sample(String key, double[] window, double level, double stepRms, double actual) {
    }

    /** The training samples sent since the last call, batch by batch, in order. */
    List<Sample> drainSamples() {
        List<Sample> out = new ArrayList<>();
        SampleBatch.Reader reader = new SampleBatch.Reader(settings.windowLength(), settings.features().code(),
                settings.features().count(), settings.features().toString());
        for (TestRecord<String, byte[]> r : samples.readRecordsToList()) {
            if (!reader.read(r.value())) {
                throw new AssertionError("a malformed batch of samples: " + reader.problem());
            }
            for (int i = 0; i < reader.count(); i++) {
                double[] window = new double[settings.windowLength() * settings.features().count()];
                double actual = reader.sample(i, window);
                out.add(new Sample(r.key(), window, reader.level(i), reader.stepRms(i), actual));
            }
        }
        return out;
    }

    void reading(String sensor, double value, long seconds) {
        reading(sensor, Double.toString(value), seconds);
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonNode> drainForecasts() {
        List<JsonNode> out = new ArrayList<>();
        forecasts.readValuesToList().forEach(v -> out.add(json(v)));
        return out;
    }

    List<JsonNode> drainAccuracy() {
        List<JsonNode> out = new ArrayList<>();
        accuracy.readValuesToList().forEach(v -> out.add(json(v)));
        return out;
    }

    static String header(TestRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }
}
