package dev.streamcast.cli;

import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.stream.StreamcastConfig;
import dev.streamcast.stream.StreamcastService;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code run} and {@code demo} start, in order, and stop in reverse: the embedded broker when no bootstrap
 * servers are configured, then the forecasting service.
 */
final class ServiceRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

    private final EmbeddedKafkaBroker broker;
    private final StreamcastService service;

    private ServiceRuntime(EmbeddedKafkaBroker broker, StreamcastService service) {
        this.broker = broker;
        this.service = service;
    }

    static ServiceRuntime start(StreamcastConfig config) {
        EmbeddedKafkaBroker broker = null;
        StreamcastConfig effective = config;
        if (!config.hasBootstrapServers()) {
            broker = startBroker(config);
            effective = config.with("kafka.bootstrap.servers", broker.bootstrapServers());
        }
        try {
            StreamcastService service = new StreamcastService(effective);
            service.start();
            return new ServiceRuntime(broker, service);
        } catch (RuntimeException e) {
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    static EmbeddedKafkaBroker startBroker(StreamcastConfig config) {
        Path dir = Path.of(config.get("embedded.kafka.dir"));
        int port = config.getInt("embedded.kafka.port", 0, 65535);
        String host = config.get("embedded.kafka.host");
        LOG.info("no kafka.bootstrap.servers configured: starting the embedded Kafka broker on {}:{} (data in {})", host,
                port, dir.toAbsolutePath());
        return EmbeddedKafkaBroker.builder(dir).host(host).port(port).start();
    }

    StreamcastService service() {
        return service;
    }

    String bootstrapServers() {
        return service.config().get("kafka.bootstrap.servers");
    }

    boolean embedded() {
        return broker != null;
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
