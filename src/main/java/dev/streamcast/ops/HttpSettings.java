package dev.streamcast.ops;

import dev.streamcast.config.ConfigException;
import dev.streamcast.config.StreamcastConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The ops server's settings, read and checked once from the configuration.
 *
 * @param bind          the address to listen on (http.bind)
 * @param port          the port to listen on (http.port); 0 picks a free one
 * @param adminToken    http.admin.token; null when none is configured
 * @param advertised    this instance's kafka.application.server (host:port other instances reach it at); null
 *                      when unset: a single instance, every request answered locally
 * @param tls           the server's key store (http.tls.keystore); null for plain HTTP
 * @param peerTls       how this instance calls the others over HTTPS (trusting http.tls.truststore); null for
 *                      plain HTTP. Instances share one configuration, so they all speak HTTPS or none does
 * @param loopback      whether http.bind is a loopback address (nobody else on the network can connect)
 */
public record HttpSettings(String bind, int port, AdminToken adminToken, HostInfo advertised, HttpTls tls,
                           SSLContext peerTls, boolean loopback) {

    static final String BIND = "http.bind";
    static final String PORT = "http.port";
    static final String ADMIN_TOKEN = "http.admin.token";
    static final String APPLICATION_SERVER = "kafka.application.server";
    /** GET /ready answers 503 while more internal errors than this happened in the last minute. */
    static final String READY_MAX_INTERNAL_ERRORS = "http.ready.max-internal-errors-per-minute";

    /**
     * Reads the settings; refuses a non-loopback bind address without an admin token, because the API would then
     * be open to the network.
     */
    public static HttpSettings from(StreamcastConfig config) {
        String bind = config.get(BIND);
        if (bind.isEmpty()) {
            throw new ConfigException(BIND + ": expected an address to listen on, such as 127.0.0.1 or 0.0.0.0");
        }
        int port = config.getInt(PORT, 0, 65_535);
        readyMaxInternalErrors(config);
        AdminToken token = AdminToken.of(config.get(ADMIN_TOKEN));
        boolean loopback = isLoopback(bind);
        if (token == null && !loopback) {
            throw new ConfigException(BIND + "=" + bind + " is not a loopback address: anyone on the network could "
                    + "reach the API. Set " + ADMIN_TOKEN + " (or STREAMCAST_HTTP_ADMIN_TOKEN) so every endpoint but "
                    + "/health requires it, or bind to 127.0.0.1");
        }
        HostInfo advertised = null;
        if (config.isSet(APPLICATION_SERVER)) {
            try {
                advertised = HostInfo.buildFromEndpoint(config.get(APPLICATION_SERVER));
            } catch (RuntimeException e) {
                throw new ConfigException(APPLICATION_SERVER + ": expected host:port, got '"
                        + config.get(APPLICATION_SERVER) + "'", e);
            }
        }
        HttpTls tls = HttpTls.serverFrom(config.get(HttpTls.KEYSTORE), config.get(HttpTls.PASSWORD));
        SSLContext peerTls = tls == null ? null
                : HttpTls.clientContext(config.get(HttpTls.TRUSTSTORE), config.get(HttpTls.TRUSTSTORE_PASSWORD));
        return new HttpSettings(bind, port, token, advertised, tls, peerTls, loopback);
    }

    /** {@value #READY_MAX_INTERNAL_ERRORS}: internal errors in the last minute up to which GET /ready answers 200. */
    static int readyMaxInternalErrors(StreamcastConfig config) {
        return config.getInt(READY_MAX_INTERNAL_ERRORS, 0, Integer.MAX_VALUE);
    }

    /** Whether every address {@code host} resolves to is a loopback address. */
    static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress[] addresses = InetAddress.getAllByName(bare);
            return addresses.length > 0 && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            throw new ConfigException(BIND + ": unknown host '" + host + "'", e);
        }
    }

    /** "https" with a key store, else "http". */
    String scheme() {
        return tls == null ? "http" : "https";
    }

    boolean hasAdminToken() {
        return adminToken != null;
    }
}
