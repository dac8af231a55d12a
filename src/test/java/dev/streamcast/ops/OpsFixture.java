package dev.streamcast.ops;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.testing.BrokerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the ops tests share: a real broker per test class, services configured for it with their own application
 * id and state directory, and a producer of readings.
 */
final class OpsFixture implements AutoCloseable {

    static final String READINGS = "sensor-readings";
    static final long T0 = 1_780_000_000_000L;

    private final Path directory;
    private final EmbeddedKafkaBroker broker;
    private final KafkaProducer<String, String> producer;

    OpsFixture(Path directory) {
        this.directory = directory;
        this.broker = EmbeddedKafkaBroker.builder(directory.resolve("broker")).port(0).start();
        Properties props = BrokerSettings.client(broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /**
     * A configuration for a service on this broker: its own application id and state directory, two partitions,
     * retraining only when asked for (every second the trainer checks for requests; the time trigger needs a full
     * buffer, which the tests never fill), few epochs; {@code overrides} win.
     */
    StreamcastConfig config(Map<String, String> overrides) {
        String name = "ops-" + UUID.randomUUID();
        Map<String, String> m = BrokerSettings.service(broker.bootstrapServers(), name, directory.resolve(name));
        m.put("topics.partitions", "2");
        m.put("http.port", "0");
        m.put("retrain.every", "1s");
        m.put("retrain.buffer.size", "5000");
        m.put("retrain.min.samples", "5000");
        m.put("retrain.epochs", "2");
        m.putAll(overrides);
        return StreamcastConfig.of(m);
    }

    /** Writes a model with initialised, untrained weights: a deterministic version 1 for model.initial. */
    Path initialModel() throws IOException {
        ForecastSettings settings = ForecastSettings.from(config(Map.of()));
        Forecaster untrained = ModelCodec.toForecaster(settings.architecture(), 7);
        Forecaster first = untrained.withIdentity(settings.modelId(), 1, Instant.now().toString(), null);
        Path file = directory.resolve("initial-model-" + UUID.randomUUID() + ".json");
        Files.write(file, ModelCodec.write(ModelCodec.toDocument(first)));
        return file;
    }

    /** Readings {@code values[i]} of one sensor, a minute apart from {@code start} minutes after T0. */
    void produce(String sensorId, int start, double... values) {
        for (int i = 0; i < values.length; i++) {
            long timestamp = T0 + (start + i) * 60_000L;
            producer.send(new ProducerRecord<>(READINGS, sensorId,
                    "{\"value\": " + values[i] + ", \"timestamp\": " + timestamp + "}"));
        }
    }

    /** A raw record, e.g. one the service must refuse. */
    void produceRaw(String key, String value) {
        producer.send(new ProducerRecord<>(READINGS, key, value));
    }

    void flush() {
        producer.flush();
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }


    static StreamcastService startedService(StreamcastConfig config) {
        StreamcastService service = new StreamcastService(config);
        service.start();
        return service;
    }

    /** A started service with its HTTP server (port 0) and a client of that server. */
    record Served(StreamcastService service, OpsServer server, HttpProbe http) implements AutoCloseable {

        @Override
        public void close() {
            server.close();
            service.close();
        }
    }

    /** A service on this broker configured with {@code overrides} ({@link #config}), served over HTTP. */
    Served serve(Map<String, String> overrides) {
        StreamcastService service = startedService(config(overrides));
        try {
            OpsServer server = OpsServer.start(service);
            return new Served(service, server, new HttpProbe(server.port()));
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        broker.close();
    }
}
