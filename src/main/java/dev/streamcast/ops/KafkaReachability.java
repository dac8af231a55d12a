package dev.streamcast.ops;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka answers this instance, for {@code GET /ready}: an admin client of its own asks the cluster to describe
 * itself every {@link #PROBE_EVERY}, and Kafka counts as gone once no answer has come for {@link #GONE_AFTER}.
 * Kafka Streams alone does not tell: with every broker stopped its clients keep retrying and its state stays
 * RUNNING, so {@code /ready} answered 200 through a two-minute outage (faults/KafkaOutageTest).
 *
 * <p>A loss shows within {@link #GONE_AFTER} (plus at most one probe's timeout), well inside the 30 s an operator's
 * load balancer may allow; a return within one probe interval and the client's reconnect backoff (1 s).
 */
final class KafkaReachability implements AutoCloseable {

    static final Duration PROBE_EVERY = Duration.ofSeconds(2);
    /** A probe's own time limit: shorter than GONE_AFTER, so a hung request cannot hide a loss. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    static final Duration GONE_AFTER = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(KafkaReachability.class);

    private final String bootstrap;
    private final Admin admin;
    private final String clientProblem;
    private final ScheduledExecutorService probe;
    // Counted from the start: until the first answer Kafka Streams' own state says whether the instance is ready.
    private volatile long lastAnswerMs = System.currentTimeMillis();

    /** @param kafka the service's Kafka client properties (bootstrap servers, security) */
    KafkaReachability(Properties kafka) {
        this.bootstrap = kafka.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        Properties props = new Properties();
        for (String key : AdminClientConfig.configNames()) {
            if (kafka.containsKey(key)) {
                props.put(key, kafka.get(key));
            }
        }
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamcast-ready-probe");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(PROBE_TIMEOUT.toMillis()));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(PROBE_TIMEOUT.toMillis()));
        Admin client = null;
        String problem = null;
        try {
            client = Admin.create(props);
        } catch (KafkaException e) {
            // E.g. no bootstrap address resolves: nothing to probe, and Kafka cannot be reached.
            problem = "no Kafka client for " + bootstrap + ": " + e.getMessage();
        }
        this.admin = client;
        this.clientProblem = problem;
        this.probe = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "streamcast-kafka-probe");
            thread.setDaemon(true);
            return thread;
        });
        if (admin != null) {
            probe.scheduleWithFixedDelay(this::probe, 0, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void probe() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis())).clusterId()
                    .get(PROBE_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            lastAnswerMs = System.currentTimeMillis();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException && !(e.getCause() instanceof RetriableException)) {
                // A refusal (e.g. an ACL the principal lacks) is an answer: Kafka is there, and what it refuses
                // the stream meets and reports on its own.
                lastAnswerMs = System.currentTimeMillis();
            }
            LOG.debug("Kafka at {} did not answer the readiness probe: {}", bootstrap, e.toString());
        } catch (TimeoutException e) {
            LOG.debug("Kafka at {} did not answer the readiness probe: {}", bootstrap, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The scheduler would stop probing after an exception: keep it, and say why the probe failed.
            LOG.debug("the readiness probe failed", e);
        }
    }

    /** Why Kafka counts as gone at {@code nowMs}, or null while it answers. */
    String gone(long nowMs) {
        if (clientProblem != null) {
            return clientProblem;
        }
        long silentMs = nowMs - lastAnswerMs;
        if (silentMs < GONE_AFTER.toMillis()) {
            return null;
        }
        return "Kafka at " + bootstrap + " has not answered for " + silentMs / 1000 + " s";
    }

    @Override
    public void close() {
        probe.shutdownNow();
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
