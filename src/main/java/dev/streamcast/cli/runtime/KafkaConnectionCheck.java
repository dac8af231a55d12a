package dev.streamcast.cli.runtime;

import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.config.ConfigException;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.logging.QuietLogger;
import dev.streamcast.service.KafkaAccessException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before {@code run} or {@code demo} starts anything, that the Kafka at kafka.bootstrap.servers answers as
 * Kafka, within {@value #TIMEOUT_KEY}. Each bootstrap address is resolved and connected to first, so the line says
 * which mistake it is: a host that does not resolve, nothing listening (connection refused), no answer at all
 * (unreachable), a port that accepts connections but does not speak Kafka as configured (another service, or
 * another security protocol than kafka.security.protocol, or a broker that advertises an address this machine
 * cannot reach: a client cannot tell these apart). Credentials and ACLs refused are reported as the service reports
 * them ({@link KafkaAccessException}).
 *
 * <p>While the check's Kafka client runs, its network loggers are silenced: a broker that cannot be reached would
 * make them warn at every retry, dozens of lines, and a refused handshake log an error, while the check reports the
 * failure itself in one line (its cause is logged at DEBUG).
 */
public final class KafkaConnectionCheck {

    /** The configuration key of the check's timeout. */
    static final String TIMEOUT_KEY = "startup.kafka-timeout";
    /** The loggers of the check's client that warn at every failed connection or retry. */
    static final List<String> CLIENT_NETWORK_LOGGERS = List.of("org.apache.kafka.clients.NetworkClient",
            "org.apache.kafka.common.network.Selector",
            "org.apache.kafka.clients.admin.internals.AdminMetadataManager");

    /** How much longer than the client's own timeout the check waits for its answer: the client's says why. */
    private static final long CLIENT_TIMEOUT_GRACE_MS = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnectionCheck.class);

    private final String bootstrap;
    private final Properties clientProperties;
    private final Duration timeout;
    private final long deadline;

    private KafkaConnectionCheck(StreamcastConfig config, Duration timeout) {
        this.bootstrap = config.get("kafka.bootstrap.servers");
        this.clientProperties = config.kafkaProperties();
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    /** The check's timeout, read and checked (no connection made). */
    static Duration timeout(StreamcastConfig config) {
        Duration timeout = config.getDuration(TIMEOUT_KEY);
        if (timeout == null) {
            throw new ConfigException(TIMEOUT_KEY + ": expected a duration such as 15s");
        }
        return timeout;
    }

    /**
     * @throws UserInputException   naming the address and the likely cause when Kafka does not answer as Kafka
     * @throws KafkaAccessException when Kafka refuses the credentials or the TLS handshake fails
     */
    public static void check(StreamcastConfig config) {
        new KafkaConnectionCheck(config, timeout(config)).run();
    }

    private void run() {
        List<String> problems = new ArrayList<>();
        boolean anyConnected = false;
        for (String address : bootstrap.split(",")) {
            String problem = connectProblem(address.strip());
            if (problem == null) {
                anyConnected = true;
                break;
            }
            problems.add(problem);
        }
        if (!anyConnected) {
            throw new UserInputException("cannot reach Kafka at " + bootstrap + " (kafka.bootstrap.servers): "
                    + String.join("; ", problems));
        }
        describeCluster();
    }

    /**
     * Resolves and connects to {@code address} within what is left of the timeout.
     *
     * @return null when a TCP connection was made, else what went wrong, naming the address
     */
    private String connectProblem(String address) {
        String host = Utils.getHost(address);
        Integer port = Utils.getPort(address);
        if (host == null || port == null) {
            return "'" + address + "' is not host:port";
        }
        InetAddress resolved;
        try {
            resolved = resolve(host);
        } catch (UnknownHostException e) {
            return "host '" + host + "' does not resolve (DNS: unknown host)";
        } catch (TimeoutException e) {
            return "host '" + host + "' did not resolve within " + seconds(timeout) + " (" + TIMEOUT_KEY + ")";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(resolved, port), (int) Math.max(1, remaining().toMillis()));
            return null;
        } catch (ConnectException e) {
            return address + " refused the connection (nothing listens on port " + port + " there)";
        } catch (SocketTimeoutException e) {
            return address + " did not answer within " + seconds(timeout) + " (" + TIMEOUT_KEY
                    + "): a wrong address, a firewall, or a host that is down";
        } catch (NoRouteToHostException e) {
            return address + " is unreachable (no route to the host)";
        } catch (IOException e) {
            return address + ": " + e.getMessage();
        }
    }

    /** The host's address, looked up on another thread so that a DNS server that does not answer cannot hang us. */
    private InetAddress resolve(String host) throws UnknownHostException, TimeoutException {
        CompletableFuture<InetAddress> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new CompletionException(e);
            }
        });
        try {
            return lookup.get(remaining().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            throw new IllegalStateException("cannot look up " + host, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up " + host, e);
        }
    }

    /**
     * Asks Kafka for its brokers with the configured client settings (protocol, TLS, SASL): the answer comes from a
     * broker the client reached at the address it advertises, so it also proves that address reachable.
     */
    private void describeCluster() {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamcast-connection-check");
        int timeoutMs = (int) Math.max(1, remaining().toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        String protocol = props.getProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
                .toUpperCase(Locale.ROOT);
        List<QuietLogger> quiet = new ArrayList<>();
        CLIENT_NETWORK_LOGGERS.forEach(name -> quiet.add(QuietLogger.silentWhileOpen(name)));
        Admin admin = null;
        try {
            admin = Admin.create(props);
            // What is left after the client's set-up (a TLS context takes a while).
            int left = (int) Math.max(1, remaining().toMillis());
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(left)).nodes()
                    .get(left + CLIENT_TIMEOUT_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            RuntimeException denial = KafkaAccessException.accessDenial(e.getCause());
            if (denial != null) {
                throw KafkaAccessException.of("cannot connect", bootstrap, denial);
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw notKafka(protocol, e.getCause());
            }
            if (e.getCause() instanceof UnsupportedVersionException) {
                throw new UserInputException("Kafka at " + bootstrap + " is not a broker's client port: it answered "
                        + "that it does not serve metadata (a KRaft controller's port?): " + e.getCause().getMessage(),
                        e.getCause());
            }
            throw new UserInputException("Kafka at " + bootstrap + " answered with an error: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw notKafka(protocol, e);
        } catch (KafkaException e) {
            throw new UserInputException("cannot connect to Kafka at " + bootstrap + ": " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Kafka at " + bootstrap, e);
        } finally {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            quiet.forEach(QuietLogger::close);
        }
    }

    /** A port that accepts connections but gives no Kafka answer: another service, or another protocol. */
    private UserInputException notKafka(String protocol, Throwable cause) {
        LOG.debug("no Kafka answer from {}", bootstrap, cause);
        return new UserInputException("Kafka at " + bootstrap + " accepted the connection but gave no Kafka answer "
                + "within " + seconds(timeout) + " (" + TIMEOUT_KEY + "): is it a Kafka broker's client port (not "
                + "its controller port, nor another service's), does its listener use the protocol this client does "
                + "(kafka.security.protocol=" + protocol + "), and does the broker advertise an address this machine "
                + "can reach (its advertised.listeners)?", cause);
    }

    private Duration remaining() {
        long nanos = deadline - System.nanoTime();
        return nanos <= 0 ? Duration.ofMillis(1) : Duration.ofNanos(nanos);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
