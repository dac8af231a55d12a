package dev.streamcast.ops;

import dev.streamcast.config.ConfigException;
import dev.streamcast.config.Topics;
import dev.streamcast.logging.QuietLogger;
import dev.streamcast.service.StreamcastService;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streamcast's HTTP surface on http.bind:http.port: the dashboard at {@code /}, the REST API under
 * {@code /api} (backed by Kafka Streams interactive queries), {@code /health}, {@code /ready} and the Prometheus
 * {@code /metrics}. Start it with {@link #start(StreamcastService)}, before or after the service itself; stop it
 * with {@link #close()}.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    /** The page loads only this server's own script, style and chart library; nothing from elsewhere. */
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final Javalin app;
    private final OpsMetrics metrics;
    private final String scheme;
    private final HealthHandler health;

    private OpsServer(Javalin app, OpsMetrics metrics, String scheme, HealthHandler health) {
        this.app = app;
        this.metrics = metrics;
        this.scheme = scheme;
        this.health = health;
    }

    /** Whether {@code GET /ready} answers 200: the stream runs, its sensor store answers, the trainer is alive. */
    public boolean ready() {
        return health.isReady();
    }

    /** "https" when http.tls.keystore is set, else "http". */
    public String scheme() {
        return scheme;
    }

    /**
     * Checks, before anything starts, that http.bind:http.port can be listened on now (port 0 always can), so a port
     * in use is one line at once rather than after the broker and the stream have started. SO_REUSEADDR is on, as on
     * Jetty's connector, so a port held only by connections in TIME_WAIT counts as free, as it does for Jetty.
     *
     * @throws dev.streamcast.config.ConfigException naming the address and why it cannot be listened on
     */
    public static void checkCanListen(HttpSettings settings) {
        if (settings.port() == 0) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(settings.bind(), settings.port());
        String where = settings.bind() + ":" + settings.port() + " (http.bind, http.port)";
        if (address.isUnresolved()) {
            throw new ConfigException("cannot listen on " + where + ": the host '" + settings.bind()
                    + "' does not resolve");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(address);
        } catch (BindException e) {
            String reason = e.getMessage() == null ? "cannot bind" : e.getMessage();
            throw new ConfigException("cannot listen on " + where + ": " + (reason.contains("in use")
                    ? "address in use (another program listens there, perhaps another Streamcast: stop it or set "
                    + "another http.port)" : reason), e);
        } catch (IOException e) {
            throw new ConfigException("cannot listen on " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Listens on http.bind:http.port (port 0: a free port, see {@link #port()}).
     *
     * @throws dev.streamcast.config.ConfigException when http.bind is not a loopback address and no
     *         http.admin.token is set, or a key has an unusable value
     * @throws IllegalStateException when the address cannot be listened on (e.g. the port is taken)
     */
    public static OpsServer start(StreamcastService service) {
        HttpSettings settings = HttpSettings.from(service.config());
        JsonResponses json = new JsonResponses();
        PeerInstances peers = new PeerInstances(service, settings.advertised(), settings.peerTls());
        LocalSensorQueries sensorQueries = new LocalSensorQueries(service);
        SensorsHandler sensors = new SensorsHandler(sensorQueries, peers, json);
        ModelsHandler models = new ModelsHandler(service, sensorQueries, peers, json);
        StatsHandler stats = new StatsHandler(service, peers, json);
        HealthHandler health = new HealthHandler(service, peers, json);
        OpsMetrics metrics = new OpsMetrics(service);
        MetricsHandler metricsHandler = new MetricsHandler(metrics);

        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jetty.defaultHost = settings.bind();
            config.jetty.defaultPort = settings.port();
            if (settings.tls() != null) {
                // The only connector: with TLS configured nothing is served in clear text.
                config.jetty.addConnector((server, http) -> {
                    http.addCustomizer(new SecureRequestCustomizer(false));
                    ServerConnector connector = new ServerConnector(server, settings.tls().sslContextFactory(),
                            new HttpConnectionFactory(http));
                    connector.setHost(settings.bind());
                    connector.setPort(settings.port());
                    return connector;
                });
            }
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyJsonErrorHandler()));
            // No "Server: Jetty(11.x)" header: nothing to tell a scanner which version to try.
            config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            config.router.ignoreTrailingSlashes = true;
            // POST /api/models/{id} takes a model document, which may be as large as the models topic allows
            config.http.maxRequestSize = Topics.MAX_MODEL_BYTES;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "no-cache", "Content-Security-Policy",
                        CONTENT_SECURITY_POLICY, "X-Content-Type-Options", "nosniff");
            });
            // uPlot comes from its WebJar in the jar (META-INF/resources/webjars/uplot/...), never from a CDN.
            config.staticFiles.enableWebjars();
        });
        app.before(new AccessFilter(settings.adminToken(),
                settings.advertised() == null ? null : settings.advertised().host().toLowerCase(Locale.ROOT)));
        app.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
        app.before("/api/*", ctx -> ctx.header("Cache-Control", "no-store"));
        new ErrorResponses(json).register(app);
        app.get("/health", health::health);
        app.get("/ready", health::ready);
        app.get("/metrics", metricsHandler::get);
        app.get("/api/sensors", sensors::list);
        app.get("/api/sensors/{id}", sensors::get);
        app.get("/api/models", models::list);
        app.get("/api/models/runs", models::runs);
        app.post("/api/models/{id}", models::publish);
        app.post("/api/models/{id}/retrain", models::retrain);
        app.get("/api/stats", stats::get);
        try {
            app.start();
        } catch (RuntimeException e) {
            metrics.close();
            throw new IllegalStateException("cannot listen on " + settings.bind() + ":" + settings.port()
                    + " (http.bind, http.port): " + e.getMessage(), e);
        }
        if (settings.tls() == null && !settings.loopback()) {
            LOG.warn("http.bind={} is reachable from the network without TLS: the admin token and the API's answers "
                    + "travel in clear text; set http.tls.keystore to serve HTTPS", settings.bind());
        }
        LOG.info("dashboard and API on {}://{}:{}/ ({})", settings.scheme(), settings.bind(), app.port(),
                settings.hasAdminToken()
                ? "every endpoint but /health needs the admin token" : "read-only: no http.admin.token configured");
        if (settings.advertised() != null && settings.advertised().port() != app.port()) {
            LOG.warn("kafka.application.server names port {} but the HTTP server listens on {}: other instances "
                    + "will not reach this one", settings.advertised().port(), app.port());
        }
        return new OpsServer(app, metrics, settings.scheme(), health);
    }

    /** The port listened on (the one picked when http.port is 0). */
    public int port() {
        return app.port();
    }

    /** Jetty's selector logger: it warns "select() failure" when a stop closes a selector in the middle of a select. */
    static final String SELECTOR_LOGGER = "org.eclipse.jetty.io.ManagedSelector";

    /**
     * Stops listening and releases the metrics; the service keeps running. Jetty's selector logger is held at ERROR
     * while the server stops: a stop that closes a selector while it is selecting makes it warn "select() failure
     * java.nio.channels.ClosedSelectorException" (seen at one stop of a `run` by SIGTERM), which nobody can act on;
     * the rest of the time its warnings show.
     */
    @Override
    public void close() {
        try (QuietLogger quiet = QuietLogger.atErrorWhileOpen(SELECTOR_LOGGER)) {
            app.stop();
        }
        health.close();
        metrics.close();
    }
}
