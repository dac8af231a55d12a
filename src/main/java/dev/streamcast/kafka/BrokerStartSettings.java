package dev.streamcast.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link EmbeddedKafkaBroker.Builder} collected, fixed for one start ({@link BrokerStarter}). The builder
 * documents every setting and its default.
 *
 * @param controllerPort   0 to pick one at every start (a single node only)
 * @param security         null for a plain-text broker
 * @param brokerProperties Kafka server properties overriding the embedded defaults, in the order they were set
 */
record BrokerStartSettings(Path dataDirectory, String host, int port, Duration startupTimeout, int controllerPort,
                           ControllerQuorum quorum, BrokerSecurity security, Map<String, String> brokerProperties) {

    BrokerStartSettings {
        brokerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(brokerProperties));
    }
}
