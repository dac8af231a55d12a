package dev.streamcast.kafka;

import java.util.Set;

/**
 * The embedded node's listeners as its configuration, its quorum, its TLS material and its starter all name them:
 * the listener names, the controller's host, and how a host reads inside a listener.
 */
final class BrokerListeners {

    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The controller is only ever reached by this process itself, so it never listens beyond loopback. */
    static final String CONTROLLER_HOST = "127.0.0.1";

    private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]", "");

    private BrokerListeners() {
    }

    static boolean isWildcard(String host) {
        return WILDCARD_HOSTS.contains(host);
    }

    /** IPv6 literals go in brackets inside a listener URI. */
    static String listenerHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
