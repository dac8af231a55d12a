package dev.streamcast.cli;

import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.stream.ConfigException;
import dev.streamcast.stream.StreamcastConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The embedded broker's keys ({@code embedded.kafka.*}), read and checked once, before the broker starts.
 *
 * @param host where the broker listens (embedded.kafka.host)
 * @param port its client port; 0 picks a free one (embedded.kafka.port)
 * @param dir  its data directory, created on the broker's first start (embedded.kafka.dir)
 */
record EmbeddedBrokerSettings(String host, int port, Path dir) {

    static EmbeddedBrokerSettings from(StreamcastConfig config) {
        String host = config.get("embedded.kafka.host");
        if (host.isEmpty()) {
            throw new ConfigException("embedded.kafka.host: expected an address to listen on, such as 127.0.0.1");
        }
        int port = config.getInt("embedded.kafka.port", 0, 65_535);
        String dir = config.get("embedded.kafka.dir");
        if (dir.isEmpty()) {
            throw new ConfigException("embedded.kafka.dir: expected a directory for the broker's data, such as data/kafka");
        }
        try {
            return new EmbeddedBrokerSettings(host, port, Path.of(dir));
        } catch (InvalidPathException e) {
            throw new ConfigException("embedded.kafka.dir: not a path: '" + dir + "'", e);
        }
    }

    EmbeddedKafkaBroker start() {
        return EmbeddedKafkaBroker.builder(dir).host(host).port(port).start();
    }
}
