package dev.streamcast.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

/**
 * Probes TCP ports on a local address. KafkaRaftServer offers no way to read back the port a listener bound, so
 * the broker is always started on concrete ports that are picked (or checked) here just before.
 */
final class LocalPorts {

    private LocalPorts() {
    }

    /** A port that was free on {@code host} a moment ago, chosen by the operating system. */
    static int pickFree(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why a listener could not bind {@code host:port} now, or empty if it could. SO_REUSEADDR is on, as on the JDK
     * server sockets Kafka opens, so a port held only by connections in TIME_WAIT (e.g. right after a restart)
     * counts as free, as it does for Kafka. Failures other than binding (an unknown host, say) are thrown.
     */
    static Optional<String> bindProblem(String host, int port) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            return Optional.of("the host '" + host + "' does not resolve (DNS: unknown host)");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(address);
            return Optional.empty();
        } catch (BindException e) {
            // "Address already in use" is the common case; others, e.g. "Cannot assign requested address" for an
            // address this machine does not have, are passed on as the JDK words them.
            String reason = e.getMessage() == null ? "cannot bind" : e.getMessage();
            return Optional.of(reason.contains("in use") ? "address in use" : reason);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot probe " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
