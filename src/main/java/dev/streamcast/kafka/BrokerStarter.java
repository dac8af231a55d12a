package dev.streamcast.kafka;

import dev.streamcast.logging.QuietLogger;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTransactionsOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an {@link EmbeddedKafkaBroker}: locks and formats its data directory, opens its key store, picks or checks
 * its ports, starts Kafka's server (again with new ports if a picked one was taken meanwhile) and waits until a
 * client sees the broker. Every failure becomes a {@link BrokerStartupException} whose message names the address or
 * directory at fault, and leaves nothing running or locked behind.
 */
final class BrokerStarter {

    /**
     * The embedded broker's log, {@link EmbeddedKafkaBroker}'s name: its start and its stop read as one log, as
     * they did in one class.
     */
    static final String LOGGER = "dev.streamcast.kafka.EmbeddedKafkaBroker";
    /** The logger quiet while the broker stops (see {@link #stop}). */
    static final String NETWORK_CLIENT_LOGGER = "org.apache.kafka.clients.NetworkClient";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    /** Picked ports can be taken by someone else between the pick and Kafka's bind; that race is retried. */
    private static final int MAX_START_ATTEMPTS = 3;
    private static final Duration READINESS_POLL = Duration.ofMillis(100);

    private BrokerStarter() {
    }

    /**
     * Locks and, if it is new, formats the data directory, then starts the broker and returns once clients can use
     * it; the lock is released again if the start fails.
     */
    static StartedBroker start(BrokerStartSettings settings) {
        Path dataDirectory = settings.dataDirectory();
        long deadline = System.nanoTime() + settings.startupTimeout().toNanos();
        // The ports first, before the directory is created or formatted: a port in use (another broker on 9092, a
        // second 'run') is the common mistake, and it then leaves nothing behind.
        checkPorts(settings);
        DataDirectoryLock lock;
        try {
            lock = DataDirectoryLock.acquire(dataDirectory);
        } catch (IOException e) {
            throw new BrokerStartupException("cannot use " + dataDirectory
                + " as the embedded Kafka broker's data directory: " + describe(e), e);
        }
        try {
            try {
                LogDirectoryFormatter.formatIfNeeded(dataDirectory, settings.quorum(), settings.security());
            } catch (Exception e) {
                throw new BrokerStartupException("cannot format the embedded Kafka broker's data directory "
                    + dataDirectory + ": " + e.getMessage(), e);
            }
            LocalKeyStore keyStore = null;
            if (settings.security() != null) {
                try {
                    keyStore = LocalKeyStore.openOrCreate(settings.security().tlsDirectory(),
                        advertisedHost(settings.host()));
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
    private static StartedBroker launch(BrokerStartSettings settings, DataDirectoryLock lock,
                                        LocalKeyStore keyStore, long deadline) {
        String advertisedHost = advertisedHost(settings.host());
        for (int attempt = 1; ; attempt++) {
            int port = clientPort(settings);
            Optional<KafkaRaftServer> started =
                tryStart(settings, keyStore, advertisedHost, port, deadline, attempt == MAX_START_ATTEMPTS);
            if (started.isEmpty()) {
                continue;
            }
            KafkaRaftServer server = started.get();
            String bootstrap = BrokerListeners.listenerHost(advertisedHost) + ":" + port;
            Map<String, Object> admin = new LinkedHashMap<>();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            if (settings.security() != null) {
                admin.putAll(settings.security().clientProperties(settings.security().users().interBrokerUser(),
                    keyStore.trustStore()));
            }
            try {
                awaitReady(admin, bootstrap, deadline);
                if (!settings.quorum().isCluster()) {
                    createCoordinatorTopics(admin, bootstrap);
                }
                if (settings.security() != null) {
                    ScramCredentials.upsertAll(admin, settings.security().users(), remaining(deadline));
                }
            } catch (RuntimeException e) {
                stopAfterFailedStart(server, e);
                throw e;
            }
            LOG.info("Embedded Kafka broker ready on {} (data in {}{}{})", bootstrap, settings.dataDirectory(),
                settings.quorum().isCluster() ? "; node " + settings.quorum().nodeId() + " of "
                    + settings.quorum().votersProperty() : "",
                settings.security() == null ? "" : "; " + settings.security());
            return new StartedBroker(server, lock, bootstrap, port, settings.dataDirectory(),
                settings.security(), keyStore);
        }
    }

    /** Checks that the requested client and controller ports are free; picked ones (0) are picked later. */
    private static void checkPorts(BrokerStartSettings settings) {
        if (settings.port() != 0) {
            clientPort(settings);
        }
        if (!settings.quorum().isCluster() && settings.controllerPort() != 0) {
            Optional<String> problem =
                LocalPorts.bindProblem(BrokerListeners.CONTROLLER_HOST, settings.controllerPort());
            if (problem.isPresent()) {
                throw new BrokerStartupException("cannot start the embedded Kafka broker's controller on "
                    + BrokerListeners.CONTROLLER_HOST + ":" + settings.controllerPort() + ": " + problem.get());
            }
        }
    }

    /** The requested client port once it is known to be free, or a free one when 0 was requested. */
    private static int clientPort(BrokerStartSettings settings) {
        if (settings.port() == 0) {
            return pickPort(settings.host());
        }
        // Checked before Kafka starts so the common mistake (another broker already on 9092) gets a plain answer
        // quickly, without a page of Kafka's stack traces.
        Optional<String> problem;
        try {
            problem = LocalPorts.bindProblem(settings.host(), settings.port());
        } catch (UncheckedIOException e) {
            throw new BrokerStartupException("cannot start the embedded Kafka broker on " + settings.host() + ":"
                + settings.port() + ": " + e.getCause().getMessage(), e);
        }
        if (problem.isPresent()) {
            throw new BrokerStartupException("cannot start the embedded Kafka broker on " + settings.host() + ":"
                + settings.port() + ": " + problem.get());
        }
        return settings.port();
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
    private static Optional<KafkaRaftServer> tryStart(BrokerStartSettings settings, LocalKeyStore keyStore,
                                                      String advertisedHost, int port, long deadline,
                                                      boolean lastAttempt) {
        String address = settings.host() + ":" + port;
        int controllerPort = settings.quorum().isCluster() ? settings.quorum().self().port()
            : settings.controllerPort() != 0 ? settings.controllerPort() : pickPort(BrokerListeners.CONTROLLER_HOST);
        Map<String, String> props = BrokerProperties.of(settings.host(), advertisedHost, port, settings.quorum(),
            controllerPort, settings.security(), keyStore, settings.dataDirectory(), remaining(deadline),
            settings.brokerProperties());
        LOG.info("Starting the embedded Kafka broker on {} with data in {}", address, settings.dataDirectory());
        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new BrokerStartupException("cannot start the embedded Kafka broker on " + address
                + " with data in " + settings.dataDirectory() + ": " + e.getMessage(), e);
        }
        try {
            server.startup();
            return Optional.of(server);
        } catch (RuntimeException e) {
            stopAfterFailedStart(server, e);
            if (isBindFailure(e)) {
                if (settings.port() != 0) {
                    // Taken since clientPort() looked, or it was the picked controller port that was.
                    Optional<String> problem = LocalPorts.bindProblem(settings.host(), port);
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
                + " with data in " + settings.dataDirectory() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The address clients are sent to. Kafka refuses to advertise a wildcard such as 0.0.0.0, so a broker bound to
     * every interface advertises this machine's name, which other machines can usually resolve (and which the
     * {@code advertised.listeners} property can replace when they cannot).
     */
    private static String advertisedHost(String host) {
        if (!BrokerListeners.isWildcard(host)) {
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
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, READINESS_CLIENT);
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

    /** Kafka's logger of automatic topic creation (KAFKA-19596 made it warn of every failed creation). */
    static final String AUTO_TOPIC_CREATION_LOGGER = "org.apache.kafka.server.DefaultAutoTopicCreationManager";
    /** How long a single node's start waits for its coordinators' topics at most; then its clients create them. */
    private static final Duration COORDINATOR_TOPICS_WAIT = Duration.ofSeconds(10);
    /** The group and the transactional id asked about: neither exists, and that is the expected answer. */
    private static final String READINESS_CLIENT = "streamcast-embedded-broker-readiness";

    /**
     * Has a single node create its two coordinators' topics now, once each, with {@link #AUTO_TOPIC_CREATION_LOGGER}
     * held at ERROR: the offsets topic ({@code __consumer_offsets}) and the transaction log
     * ({@code __transaction_state}). Kafka creates each when a client first looks for a group's or a transaction's
     * coordinator, and forgets it asked the controller as soon as the controller answers, before the broker has
     * applied the new topic; a second client asking in that moment (the two Kafka Streams clients and a producer all
     * start at once) makes it ask again and warn "Auto topic creation failed for __transaction_state with error
     * 'TOPIC_ALREADY_EXISTS'" of the creation that lost: a race it resolves itself, nothing to act on (24-47 times in
     * one run of the test suite for the offsets topic; once in about 20 {@code demo} starts for the transaction log).
     * Looking up a group's and a transaction's coordinator here creates both, and returns once clients can use them.
     * Not for a node of a cluster: these topics need the other nodes' replicas, which may not be up yet.
     */
    private static void createCoordinatorTopics(Map<String, Object> adminConfig, String bootstrap) {
        Map<String, Object> config = new LinkedHashMap<>(adminConfig);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, READINESS_CLIENT);
        int waitMs = (int) COORDINATOR_TOPICS_WAIT.toMillis();
        try (QuietLogger quiet = QuietLogger.atErrorWhileOpen(AUTO_TOPIC_CREATION_LOGGER);
             Admin admin = Admin.create(config)) {
            // Both at once: two different topics, so they cannot race each other.
            KafkaFuture<Void> groups = admin.describeConsumerGroups(List.of(READINESS_CLIENT),
                new DescribeConsumerGroupsOptions().timeoutMs(waitMs)).all().thenApply(described -> null);
            KafkaFuture<Void> transactions = admin.describeTransactions(List.of(READINESS_CLIENT),
                new DescribeTransactionsOptions().timeoutMs(waitMs)).all().thenApply(described -> null);
            awaitCoordinator(groups, GroupIdNotFoundException.class, "offsets topic", bootstrap);
            awaitCoordinator(transactions, TransactionalIdNotFoundException.class, "transaction log", bootstrap);
        }
    }

    /** Waits for one coordinator look-up; {@code notFound} (no such group or transaction) means it succeeded. */
    private static void awaitCoordinator(KafkaFuture<Void> lookup, Class<? extends Exception> notFound, String topic,
                                         String bootstrap) {
        try {
            lookup.get(COORDINATOR_TOPICS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!notFound.isInstance(e.getCause())) {
                LOG.debug("the {} of {} is not created yet: {}", topic, bootstrap, e.getCause().toString());
            }
        } catch (TimeoutException e) {
            LOG.debug("the {} of {} is not created yet: {}", topic, bootstrap, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /**
     * Shuts Kafka's server down and waits until it has; also what undoes a start that failed half way. Kafka's
     * broker closes its controller-registration channel twice at every clean stop, and the second close warns
     * "Attempting to close NetworkClient that has already been closed": that logger is held at ERROR for the stop
     * alone, so the warnings every client logs through it (a broker unreachable, a request refused) still show the
     * rest of the time.
     */
    static void stop(KafkaRaftServer server) {
        try (QuietLogger quiet = QuietLogger.atErrorWhileOpen(NETWORK_CLIENT_LOGGER)) {
            server.shutdown();
            server.awaitShutdown();
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
}
