package dev.streamcast.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The server properties of the embedded node: one KRaft process that is both broker and controller, sized for a
 * single machine. Everything here can be overridden by the caller's extra properties, which are applied last.
 */
final class BrokerProperties {

    /** The node id; fixed, because it is written into the data directory when it is formatted. */
    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The controller is only ever reached by this process itself, so it never listens beyond loopback. */
    static final String CONTROLLER_HOST = "127.0.0.1";

    private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]", "");
    /** Log cleaner dedupe buffer: Kafka's default of 128 MB would be a large share of a small service's heap. */
    private static final String DEDUPE_BUFFER_BYTES = Integer.toString(4 * 1024 * 1024);

    private BrokerProperties() {
    }

    static boolean isWildcard(String host) {
        return WILDCARD_HOSTS.contains(host);
    }

    /**
     * @param host           the address the client listener binds, possibly a wildcard
     * @param advertisedHost the address clients are told to connect to; never a wildcard
     */
    static Map<String, String> of(String host, String advertisedHost, int port, int controllerPort,
                                  Path dataDirectory, Duration startupTimeout, Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        // Static voters rather than a dynamic (KIP-853) quorum: a dynamic quorum stores the controller's endpoint
        // in the metadata log, so a restart would have to reuse the same controller port; with static voters the
        // endpoint comes from this configuration on every start and any free port will do.
        props.put("controller.quorum.voters", NODE_ID + "@" + CONTROLLER_HOST + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", BROKER_LISTENER + "://" + listenerHost(host) + ":" + port + ","
            + CONTROLLER_LISTENER + "://" + CONTROLLER_HOST + ":" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + listenerHost(advertisedHost) + ":" + port);
        props.put("listener.security.protocol.map",
            BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("log.dirs", dataDirectory.toAbsolutePath().toString());

        // One node: every internal topic can only have one replica, and its in-sync set is that replica.
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Nobody else will join a new group on a single development node, so waiting for them only slows start-up.
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.dedupe.buffer.size", DEDUPE_BUFFER_BYTES);
        // Bounds the broker's wait for the controller, so a start that cannot complete fails instead of hanging.
        props.put("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));

        props.putAll(overrides);
        return props;
    }

    /** IPv6 literals go in brackets inside a listener URI. */
    static String listenerHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
