package dev.streamcast.cli.runtime;

import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.kafka.ApplicationAcls;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.ops.HttpSettings;
import dev.streamcast.ops.OpsServer;
import dev.streamcast.service.StreamcastService;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code run} and {@code demo} start, in order, and stop in reverse: the embedded broker when no bootstrap
 * servers are configured, the forecasting service, then the HTTP server (dashboard, API, metrics).
 */
public final class ServiceRuntime implements AutoCloseable {

    /** How often the service's readiness is checked until it is ready. */
    private static final long READY_POLL_MS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

    private final EmbeddedKafkaBroker broker;
    private final StreamcastService service;
    private final OpsServer ops;

    private ServiceRuntime(EmbeddedKafkaBroker broker, StreamcastService service, OpsServer ops) {
        this.broker = broker;
        this.service = service;
        this.ops = ops;
    }

    public static ServiceRuntime start(StreamcastConfig config) {
        check(config);
        // What the machine must offer, before anything starts: the HTTP port here, the broker's ports and data
        // directory first thing in its start, an outside Kafka that answers as Kafka.
        OpsServer.checkCanListen(HttpSettings.from(config));
        if (config.hasBootstrapServers()) {
            KafkaConnectionCheck.check(config);
        }
        EmbeddedKafkaBroker broker = null;
        StreamcastConfig effective = config;
        if (!config.hasBootstrapServers()) {
            broker = startBroker(config);
            effective = config.with("kafka.bootstrap.servers", broker.bootstrapServers());
        }
        StreamcastService service = null;
        try {
            if (broker != null && broker.isSecured()) {
                effective = asClientOf(broker, effective);
            }
            service = new StreamcastService(effective);
            service.start();
            OpsServer ops;
            try {
                ops = OpsServer.start(service);
            } catch (IllegalStateException e) {
                // e.g. the HTTP port is taken: the user's to fix, told in one line
                throw new UserInputException(e.getMessage(), e);
            }
            return new ServiceRuntime(broker, service, ops);
        } catch (RuntimeException e) {
            if (service != null) {
                service.close();
            }
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    /**
     * Checks every value the runtime will use, before anything starts, so a mistake is one line and exit code 2
     * (a {@link dev.streamcast.config.ConfigException}) with no broker started and no directory created.
     */
    static void check(StreamcastConfig config) {
        if (!config.hasBootstrapServers()) {
            EmbeddedBrokerSettings.check(config);
        }
        StreamcastService.check(config);
        HttpSettings.from(config);
        KafkaConnectionCheck.timeout(config);
    }

    public static EmbeddedKafkaBroker startBroker(StreamcastConfig config) {
        return EmbeddedBrokerSettings.start(config);
    }

    /**
     * The configuration with the service's clients set up for the secured embedded broker: SASL_SSL as
     * embedded.kafka.client-user, and, on a broker with ACLs, that user granted what the application needs.
     */
    private static StreamcastConfig asClientOf(EmbeddedKafkaBroker broker, StreamcastConfig config) {
        String user = EmbeddedBrokerSettings.clientUser(config, broker);
        StreamcastConfig secured = config;
        for (Map.Entry<String, String> e : broker.clientProperties(user).entrySet()) {
            secured = secured.with(StreamcastConfig.KAFKA_PREFIX + e.getKey(), e.getValue());
        }
        if (broker.hasAcls() && !user.equals(broker.superUser())) {
            ApplicationAcls.grant(broker, user, Topics.from(secured).all(), secured.get("kafka.application.id"));
        }
        LOG.info("connecting to the embedded broker as User:{}", user);
        return secured;
    }

    public StreamcastService service() {
        return service;
    }

    public String bootstrapServers() {
        return service.config().get("kafka.bootstrap.servers");
    }

    /**
     * Prints a line once the service is ready (GET /ready answers 200), from a thread of its own: the commands' first
     * lines come as soon as everything is started, while the stream may still be joining its group and restoring
     * its stores, and the dashboard shows nothing until then.
     */
    public void announceWhenReady(PrintWriter out) {
        Thread watcher = new Thread(() -> {
            try {
                while (!ready()) {
                    Thread.sleep(READY_POLL_MS);
                }
            } catch (InterruptedException | RuntimeException stopping) {
                return; // the service is stopping: nothing to announce
            }
            out.println("Streamcast is ready: forecasting (GET /ready answers 200).");
            out.flush();
        }, "streamcast-ready-notice");
        // Never keeps the JVM alive: a stop before the service is ready simply ends it.
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Whether the service is ready: what {@code GET /ready} answers 200 for. */
    boolean ready() {
        return ops.ready();
    }

    public boolean embedded() {
        return broker != null;
    }

    /** Where the dashboard is, e.g. http://127.0.0.1:8080/ (https with http.tls.keystore) */
    public String dashboardUrl() {
        String bind = service.config().get("http.bind");
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "localhost" : bind;
        return ops.scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + ops.port() + "/";
    }

    @Override
    public void close() {
        try {
            ops.close();
        } finally {
            try {
                service.close();
            } finally {
                if (broker != null) {
                    broker.close();
                }
            }
        }
    }
}
