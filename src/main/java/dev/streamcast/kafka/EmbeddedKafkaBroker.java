package dev.streamcast.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    /** Picked ports can be taken by someone else between the pick and Kafka's bind; that race is retried. */
    private static final int MAX_START_ATTEMPTS = 3;
    private static final Duration READINESS_POLL = Duration.ofMillis(100);

    private final KafkaRaftServer server;
    private final DataDirectoryLock lock;
    private final String bootstrapServers;
    private final int port;
    private final Path dataDirectory;
    private final BrokerSecurity security;
    private final LocalKeyStore keyStore;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, DataDirectoryLock lock, String bootstrapServers, int port,
                                Path dataDirectory, BrokerSecurity security, LocalKeyStore keyStore) {
        this.server = server;
        this.lock = lock;
        this.bootstrapServers = bootstrapServers;
        this.port = port;
        this.dataDirectory = dataDirectory;
        this.security = security;
        this.keyStore = keyStore;
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
            stop(server);
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

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static EmbeddedKafkaBroker start(Builder settings) {
        Path dataDirectory = settings.dataDirectory;
        long deadline = System.nanoTime() + settings.startupTimeout.toNanos();
        DataDirectoryLock lock;
        try {
            lock = DataDirectoryLock.acquire(dataDirectory);
        } catch (IOException e) {
            throw new BrokerStartupException("cannot use " + dataDirectory
                + " as the embedded Kafka broker's data directory: " + describe(e), e);
        }
        try {
            try {
                LogDirectoryFormatter.formatIfNeeded(dataDirectory, settings.quorum, settings.security);
            } catch (Exception e) {
                throw new BrokerStartupException("cannot format the embedded Kafka broker's data directory "
                    + dataDirectory + ": " + e.getMessage(), e);
            }
            LocalKeyStore keyStore = null;
            if (settings.security != null) {
                try {
                    keyStore = LocalKeyStore.openOrCreate(settings.security.tlsDirectory(), advertisedHost(settings.host));
                } catch (UncheckedIOException e) {
                    throw new BrokerStartupException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
                }
            }
            return launch(settings, lock, keyStore, deadline);
        } catch (RuntimeException e) {
            try {
                lock.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** Starts the server and waits for it, retrying with new ports if a port picked here was taken meanwhile. */
    private static EmbeddedKafkaBroker launch(Builder settings, DataDirectoryLock lock, LocalKeyStore keyStore,
                                              long deadline) {
        String advertisedHost = advertisedHost(settings.host);
        for (int attempt = 1; ; attempt++) {
            int port = clientPort(settings);
            Optional<KafkaRaftServer> started =
                tryStart(settings, keyStore, advertisedHost, port, deadline, attempt == MAX_START_ATTEMPTS);
            if (started.isEmpty()) {
                continue;
            }
            KafkaRaftServer server = started.get();
            String bootstrap = BrokerProperties.listenerHost(advertisedHost) + ":" + port;
            Map<String, Object> admin = new LinkedHashMap<>();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            if (settings.security != null) {
                admin.putAll(settings.security.clientProperties(settings.security.users().interBrokerUser(),
                    keyStore.trustStore()));
            }
            try {
                awaitReady(admin, bootstrap, deadline);
                if (settings.security != null) {
                    ScramCredentials.upsertAll(admin, settings.security.users(), remaining(deadline));
                }
            } catch (RuntimeException e) {
                stopAfterFailedStart(server, e);
                throw e;
            }
            LOG.info("Embedded Kafka broker ready on {} (data in {}{}{})", bootstrap, settings.dataDirectory,
                settings.quorum.isCluster() ? "; node " + settings.quorum.nodeId() + " of "
                    + settings.quorum.votersProperty() : "",
                settings.security == null ? "" : "; " + settings.security);
            return new EmbeddedKafkaBroker(server, lock, bootstrap, port, settings.dataDirectory, settings.security,
                keyStore);
        }
    }

    /** The requested client port once it is known to be free, or a free one when 0 was requested. */
    private static int clientPort(Builder settings) {
        if (settings.port == 0) {
            return pickPort(settings.host);
        }
        // Checked before Kafka starts so the common mistake (another broker already on 9092) gets a plain answer
        // quickly, without a page of Kafka's stack traces.
        Optional<String> problem;
        try {
            problem = LocalPorts.bindProblem(settings.host, settings.port);
        } catch (UncheckedIOException e) {
            throw new BrokerStartupException("cannot start the embedded Kafka broker on " + settings.host + ":"
                + settings.port + ": " + e.getCause().getMessage(), e);
        }
        if (problem.isPresent()) {
            throw new BrokerStartupException("cannot start the embedded Kafka broker on " + settings.host + ":"
                + settings.port + ": " + problem.get());
        }
        return settings.port;
    }

    private static int pickPort(String host) {
        try {
            return LocalPorts.pickFree(host);
        } catch (UncheckedIOException e) {
            throw new BrokerStartupException("cannot start the embedded Kafka broker on " + host + ": "
                + e.getCause().getMessage(), e);
        }
    }

    /**
     * Starts a Kafka server with its clients on {@code port} and its controller on a picked port.
     *
     * @return the running server, or empty if a port picked here was taken before Kafka could bind it and another
     *         attempt may pick again
     */
    private static Optional<KafkaRaftServer> tryStart(Builder settings, LocalKeyStore keyStore, String advertisedHost,
                                                      int port, long deadline, boolean lastAttempt) {
        String address = settings.host + ":" + port;
        int controllerPort = settings.quorum.isCluster() ? settings.quorum.self().port()
            : settings.controllerPort != 0 ? settings.controllerPort : pickPort(BrokerProperties.CONTROLLER_HOST);
        Map<String, String> props = BrokerProperties.of(settings.host, advertisedHost, port, settings.quorum,
            controllerPort, settings.security, keyStore, settings.dataDirectory, remaining(deadline),
            settings.brokerProperties);
        LOG.info("Starting the embedded Kafka broker on {} with data in {}", address, settings.dataDirectory);
        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new BrokerStartupException("cannot start the embedded Kafka broker on " + address
                + " with data in " + settings.dataDirectory + ": " + e.getMessage(), e);
        }
        try {
            server.startup();
            return Optional.of(server);
        } catch (RuntimeException e) {
            stopAfterFailedStart(server, e);
            if (isBindFailure(e)) {
                if (settings.port != 0) {
                    // Taken since clientPort() looked, or it was the picked controller port that was.
                    Optional<String> problem = LocalPorts.bindProblem(settings.host, port);
                    if (problem.isPresent()) {
                        throw new BrokerStartupException(
                            "cannot start the embedded Kafka broker on " + address + ": " + problem.get(), e);
                    }
                }
                if (!lastAttempt) {
                    LOG.info("A port picked for the embedded Kafka broker was taken meanwhile ({}); retrying",
                        e.getMessage());
                    return Optional.empty();
                }
            }
            throw new BrokerStartupException("cannot start the embedded Kafka broker on " + address
                + " with data in " + settings.dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The address clients are sent to. Kafka refuses to advertise a wildcard such as 0.0.0.0, so a broker bound to
     * every interface advertises this machine's name, which other machines can usually resolve (and which the
     * {@code advertised.listeners} property can replace when they cannot).
     */
    private static String advertisedHost(String host) {
        if (!BrokerProperties.isWildcard(host)) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            throw new BrokerStartupException("cannot start the embedded Kafka broker on " + host
                + ": this machine's host name, to advertise to clients, is unknown (" + e.getMessage()
                + "); bind a specific address or set advertised.listeners", e);
        }
    }

    /**
     * Waits until a client sees this broker in the cluster. Kafka lists only registered, unfenced brokers there, so
     * from then on topics can be created and written.
     */
    private static void awaitReady(Map<String, Object> adminConfig, String bootstrap, long deadline) {
        Map<String, Object> config = new LinkedHashMap<>(adminConfig);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamcast-embedded-broker-readiness");
        try (Admin admin = Admin.create(config)) {
            while (true) {
                Duration left = remaining(deadline);
                if (left.isZero()) {
                    throw new BrokerStartupException("the embedded Kafka broker on " + bootstrap
                        + " did not become ready in time");
                }
                Collection<Node> nodes = admin.describeCluster(
                        new DescribeClusterOptions().timeoutMs((int) Math.min(left.toMillis(), Integer.MAX_VALUE)))
                    .nodes().get(left.toMillis(), TimeUnit.MILLISECONDS);
                if (!nodes.isEmpty()) {
                    return;
                }
                Thread.sleep(READINESS_POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartupException("interrupted while waiting for the embedded Kafka broker on "
                + bootstrap, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerStartupException("the embedded Kafka broker on " + bootstrap
                + " did not become ready: " + e.getMessage(), e);
        }
    }

    /** Releases what a failed start holds (ports, the directory lock, threads), so the next start can succeed. */
    private static void stopAfterFailedStart(KafkaRaftServer server, RuntimeException failure) {
        try {
            stop(server);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The JDK's file exceptions carry only the path as their message; say what was wrong with it. */
    private static String describe(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "it exists and is not a directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.toString();
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static Duration remaining(long deadline) {
        long nanos = deadline - System.nanoTime();
        return nanos <= 0 ? Duration.ZERO : Duration.ofNanos(nanos);
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
            return EmbeddedKafkaBroker.start(this);
        }
    }
}
