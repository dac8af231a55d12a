package dev.streamcast.kafka;

import java.nio.file.Path;
import kafka.server.KafkaRaftServer;

/**
 * What {@link BrokerStarter} hands over once a broker is ready, for an {@link EmbeddedKafkaBroker} to hold.
 *
 * @param lock             the data directory's lock, held until the broker is closed
 * @param bootstrapServers where clients connect, {@code host:port}
 * @param port             the client port the broker listens on (the picked one when 0 was asked for)
 * @param security         null for a plain-text broker
 * @param keyStore         the TLS material of a secured broker; null for a plain one
 */
record StartedBroker(KafkaRaftServer server, DataDirectoryLock lock, String bootstrapServers, int port,
                     Path dataDirectory, BrokerSecurity security, LocalKeyStore keyStore) {
}
