package dev.streamcast.cli.runtime;

import dev.streamcast.config.ConfigException;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded.kafka.* keys, read and checked, turned into a started {@link EmbeddedKafkaBroker}: a single node by
 * default, a node of a cluster with embedded.kafka.voters, secured with embedded.kafka.security=scram.
 */
final class EmbeddedBrokerSettings {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerSettings.class);
    static final String VOTERS = "embedded.kafka.voters";
    static final String SECURITY = "embedded.kafka.security";
    static final String USERS = "embedded.kafka.users";
    static final String CLIENT_USER = "embedded.kafka.client-user";

    private EmbeddedBrokerSettings() {
    }

    /**
     * Reads and checks every embedded.kafka.* key without starting anything (no broker, no directory), so a
     * mistake is one line before anything starts.
     *
     * @throws ConfigException naming the key whose value cannot be used
     */
    static void check(StreamcastConfig config) {
        configure(config);
    }

    /**
     * @throws ConfigException naming the key whose value cannot be used
     * @throws dev.streamcast.kafka.BrokerStartupException when the broker cannot start on this machine
     */
    static EmbeddedKafkaBroker start(StreamcastConfig config) {
        EmbeddedKafkaBroker.Builder builder = configure(config);
        String voters = config.get(VOTERS);
        boolean scram = config.get(SECURITY).toLowerCase(Locale.ROOT).equals("scram");
        // DEBUG: the broker logs its own start once its ports and data directory are known to be free, and its
        // address, node and security when ready; a port in use is then the only line a failed start prints.
        LOG.debug("starting the embedded Kafka broker on {}:{} (data in {}{}{})", config.get("embedded.kafka.host"),
                config.get("embedded.kafka.port"), Path.of(config.get("embedded.kafka.dir")).toAbsolutePath(),
                voters.isEmpty() ? "" : "; node " + config.get("embedded.kafka.node-id") + " of " + voters,
                scram ? "; SASL_SSL/SCRAM-SHA-512" + (parseBoolean(config, "embedded.kafka.acls") ? " with ACLs" : "")
                        : "");
        try {
            return builder.start();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("embedded.kafka.controller-port: " + e.getMessage(), e);
        }
    }

    /** The broker's builder from the keys, every value checked; nothing started, nothing created. */
    private static EmbeddedKafkaBroker.Builder configure(StreamcastConfig config) {
        String host = config.get("embedded.kafka.host");
        if (host.isEmpty()) {
            throw new ConfigException("embedded.kafka.host: expected an address to listen on, such as 127.0.0.1");
        }
        int port = config.getInt("embedded.kafka.port", 0, 65535);
        String dirText = config.get("embedded.kafka.dir");
        if (dirText.isEmpty()) {
            throw new ConfigException(
                    "embedded.kafka.dir: expected a directory for the broker's data, such as data/kafka");
        }
        Path dir;
        try {
            dir = Path.of(dirText);
        } catch (InvalidPathException e) {
            throw new ConfigException("embedded.kafka.dir: not a path: '" + dirText + "'", e);
        }
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder(dir).host(host).port(port)
                .controllerPort(config.getInt("embedded.kafka.controller-port", 0, 65535));
        String voters = config.get(VOTERS);
        int nodeId = config.getInt("embedded.kafka.node-id", 0, Integer.MAX_VALUE);
        if (!voters.isEmpty()) {
            try {
                builder.cluster(nodeId, voters, config.get("embedded.kafka.cluster-id"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(VOTERS + ", embedded.kafka.node-id, embedded.kafka.cluster-id: "
                        + e.getMessage(), e);
            }
        } else if (nodeId != 1) {
            throw new ConfigException("embedded.kafka.node-id=" + nodeId + " needs " + VOTERS
                    + " (a single node is node 1)");
        }
        String security = config.get(SECURITY).toLowerCase(Locale.ROOT);
        boolean acls = parseBoolean(config, "embedded.kafka.acls");
        switch (security) {
            case "none", "" -> {
                if (acls) {
                    throw new ConfigException("embedded.kafka.acls=true needs " + SECURITY + "=scram: without "
                            + "authentication every client would be the same anonymous user");
                }
            }
            case "scram" -> {
                if (!config.isSet(USERS)) {
                    throw new ConfigException(USERS + ": " + SECURITY + "=scram needs a file of user:password lines");
                }
                try {
                    builder.scram(Path.of(config.get(USERS)), Path.of(config.get("embedded.kafka.tls.dir")), acls);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(USERS + ": " + e.getMessage(), e);
                }
            }
            default -> throw new ConfigException(SECURITY + ": expected none or scram, got '" + config.get(SECURITY)
                    + "'");
        }
        return builder;
    }

    /**
     * The user {@code run} connects to a secured embedded broker as: embedded.kafka.client-user, or the brokers'
     * own (super) user when it is empty.
     */
    static String clientUser(StreamcastConfig config, EmbeddedKafkaBroker broker) {
        String user = config.get(CLIENT_USER);
        if (user.isEmpty()) {
            return broker.superUser();
        }
        if (!broker.hasUser(user)) {
            throw new ConfigException(CLIENT_USER + ": no user '" + user + "' in " + config.get(USERS));
        }
        return user;
    }

    private static boolean parseBoolean(StreamcastConfig config, String key) {
        String value = config.get(key).toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return value.equals("true");
        }
        throw new ConfigException(key + ": expected true or false, got '" + config.get(key) + "'");
    }
}
