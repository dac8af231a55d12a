package dev.streamcast.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import kafka.server.KafkaRaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka node running inside this JVM: one KRaft process that is both broker and controller, with its data in
 * a directory of its own; alone (a single-node cluster, the default) or one of the voters of a cluster
 * ({@link Builder#cluster}), in plain text or requiring SASL_SSL with SCRAM and optionally ACLs
 * ({@link Builder#scram}). {@code streamcast run} starts one when no bootstrap servers are configured, so the
 * service works on a bare machine while outside clients can still connect to it.
 *
 * <p>The data directory is Kafka's log directory and nothing else may live in it (Kafka takes every sub-directory
 * for a topic partition). It is formatted on first use and reused as it is afterwards, so topics, records,
 * committed offsets and transactions survive a restart, including one after a crash.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(Path.of("data/kafka")).port(9092).start()) {
 *     String bootstrap = broker.bootstrapServers();   // "127.0.0.1:9092"
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9092;
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(BrokerStarter.LOGGER);

    private final KafkaRaftServer server;
    private final DataDirectoryLock lock;
    private final String bootstrapServers;
    private final int port;
    private final Path dataDirectory;
    private final BrokerSecurity security;
    private final LocalKeyStore keyStore;
    private boolean closed;

    /** A broker {@link BrokerStarter} has started and found ready. */
    private EmbeddedKafkaBroker(StartedBroker started) {
        this.server = started.server();
        this.lock = started.lock();
        this.bootstrapServers = started.bootstrapServers();
        this.port = started.port();
        this.dataDirectory = started.dataDirectory();
        this.security = started.security();
        this.keyStore = started.keyStore();
    }

    /** Starts configuring a broker whose data lives in {@code dataDirectory} (created if missing). */
    public static Builder builder(Path dataDirectory) {
        return new Builder(dataDirectory);
    }

    /**
     * Where clients connect: {@code host:port} with the port the broker actually listens on (and, for a broker
     * bound to every interface, this machine's host name).
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The port the broker listens on for clients; the chosen one when port 0 was asked for. */
    public int port() {
        return port;
    }

    /** Kafka's log directory: the topics, the metadata log and the cluster's identity. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Whether clients must authenticate (SASL_SSL with SCRAM-SHA-512). */
    public boolean isSecured() {
        return security != null;
    }

    /** Whether the broker authorizes every request against ACLs. */
    public boolean hasAcls() {
        return security != null && security.acls();
    }

    /** The user the brokers authenticate to each other as: the super user. Only for a secured broker. */
    public String superUser() {
        requireSecured();
        return security.users().interBrokerUser();
    }

    /** Whether {@code user} is in the users file. Only for a secured broker. */
    public boolean hasUser(String user) {
        requireSecured();
        return security.users().contains(user);
    }

    /** The PEM certificate clients of a secured broker trust; null for a plain one. */
    public Path trustStore() {
        return keyStore == null ? null : keyStore.trustStore();
    }

    /**
     * What a Kafka client needs, besides the bootstrap servers, to connect as {@code user}: nothing for a plain
     * broker; SASL_SSL, SCRAM-SHA-512 with the user's password from the users file, and the trust store for a
     * secured one. The values hold a password: never log them.
     *
     * @throws IllegalArgumentException when the users file has no such user
     */
    public Map<String, String> clientProperties(String user) {
        if (security == null) {
            return Map.of();
        }
        return security.clientProperties(user, keyStore.trustStore());
    }

    private void requireSecured() {
        if (security == null) {
            throw new IllegalStateException("the embedded broker on " + bootstrapServers + " is not secured");
        }
    }

    /**
     * Shuts the broker down cleanly (partitions flushed, clean-shutdown markers written, directory lock released)
     * and waits until it has. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Stopping the embedded Kafka broker on {}", bootstrapServers);
        RuntimeException failure = null;
        try {
            BrokerStarter.stop(server);
        } catch (RuntimeException e) {
            failure = e;
        }
        // Released even if the shutdown failed: Kafka's own lock dies with its threads, ours must not outlive it.
        try {
            lock.close();
        } catch (IOException e) {
            UncheckedIOException lockFailure =
                new UncheckedIOException("cannot release the lock on " + dataDirectory, e);
            if (failure == null) {
                failure = lockFailure;
            } else {
                failure.addSuppressed(lockFailure);
            }
        }
        if (failure != null) {
            throw failure;
        }
        LOG.info("Stopped the embedded Kafka broker on {}", bootstrapServers);
    }

    /** Settings of a broker to start; every one has a default except the data directory. */
    public static final class Builder {
        private final Path dataDirectory;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private int controllerPort;
        private ControllerQuorum quorum = ControllerQuorum.singleNode();
        private BrokerSecurity security;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        }

        /**
         * The address the client listener binds and advertises; default 127.0.0.1 (this machine only). A wildcard
         * (0.0.0.0) listens on every interface and advertises this machine's host name.
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The client port; 0 picks a free one (see {@link EmbeddedKafkaBroker#port()}); default 9092. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The controller port of a single node; 0 (the default) picks a free one at every start. A node of a cluster
         * listens on the port its own voter entry names, and this must be 0 or that port.
         */
        public Builder controllerPort(int controllerPort) {
            if (controllerPort < 0 || controllerPort > 65535) {
                throw new IllegalArgumentException("the controller port must be 0-65535, got " + controllerPort);
            }
            this.controllerPort = controllerPort;
            return this;
        }

        /**
         * Makes this node {@code nodeId} of a cluster: combined broker and controller, one of {@code voters}
         * ({@code 1@127.0.0.1:19093,2@127.0.0.1:29093,3@127.0.0.1:39093}), all of which share {@code clusterId}.
         * Kafka's internal topics then get 3 replicas (or as many as there are voters) and 2 must be in sync.
         *
         * @throws IllegalArgumentException naming what is wrong with the voters or the cluster id
         */
        public Builder cluster(int nodeId, String voters, String clusterId) {
            this.quorum = ControllerQuorum.cluster(nodeId, voters, clusterId);
            return this;
        }

        /**
         * Requires SASL_SSL with SCRAM-SHA-512 from every client.
         *
         * @param usersFile    {@code user:password} lines; the first user is the brokers' own and the super user
         * @param tlsDirectory where the key store is created on first use and the clients' trust store
         *                     ({@code truststore.pem}) is written; the nodes of a cluster on one machine share it
         * @param acls         whether every request is authorized against ACLs (StandardAuthorizer)
         * @throws IllegalArgumentException naming the users file's line that is wrong (never a password)
         */
        public Builder scram(Path usersFile, Path tlsDirectory, boolean acls) {
            this.security = new BrokerSecurity(ScramUsers.read(usersFile), acls,
                Objects.requireNonNull(tlsDirectory, "tlsDirectory"));
            return this;
        }

        /** How long {@link #start()} may take before it gives up; default 60 s. */
        public Builder startupTimeout(Duration startupTimeout) {
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, got " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** A Kafka server property that overrides the embedded defaults, e.g. {@code log.retention.hours}. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Several Kafka server properties at once; see {@link #brokerProperty}. */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /**
         * Formats the data directory if it is new, starts the broker and returns once clients can use it.
         *
         * @throws IllegalArgumentException when the controller port contradicts the voters
         * @throws BrokerStartupException if the port is taken, the directory is unusable or locked by another
         *                                broker, or the broker is not ready within the startup timeout
         */
        public EmbeddedKafkaBroker start() {
            if (quorum.isCluster() && controllerPort != 0 && controllerPort != quorum.self().port()) {
                throw new IllegalArgumentException("the controller port " + controllerPort + " is not the one node "
                    + quorum.nodeId() + " has among the voters (" + quorum.self() + ")");
            }
            return new EmbeddedKafkaBroker(BrokerStarter.start(new BrokerStartSettings(dataDirectory, host, port,
                startupTimeout, controllerPort, quorum, security, brokerProperties)));
        }
    }
}
