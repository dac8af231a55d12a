package dev.streamcast.ops;

import dev.streamcast.service.StreamcastService;
import dev.streamcast.stream.StreamNames;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other instances of the application, as Kafka Streams knows them from each instance's
 * {@code application.server}: which one holds a key, which ones hold a store, and a plain HTTP client to ask
 * them, over HTTPS when the instances serve it. Without {@code kafka.application.server} this instance answers
 * everything itself.
 */
final class PeerInstances {

    private static final Logger LOG = LoggerFactory.getLogger(PeerInstances.class);
    /** Marks a request one instance makes of another: answer from local state, never forward again. */
    static final String LOCAL_SCOPE = "local";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** What another instance answered. */
    record Answer(int status, byte[] body) {
    }

    private final StreamcastService service;
    private final HostInfo self;
    private final String scheme;
    private final HttpClient http;

    /** @param tls how to reach the other instances over HTTPS; null when they serve plain HTTP */
    PeerInstances(StreamcastService service, HostInfo self, SSLContext tls) {
        this.service = service;
        this.self = self;
        this.scheme = tls == null ? "http" : "https";
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            client.sslContext(tls);
        }
        this.http = client.build();
    }

    /** This instance as others reach it ("host:port"), or "local" when it does not advertise itself. */
    String selfName() {
        return self == null ? "local" : name(self);
    }

    /**
     * The other instance whose active task holds {@code key} of {@code store}; empty when this instance holds it,
     * when there is only this one, or while Kafka Streams cannot tell (then the local answer is the best one).
     */
    Optional<HostInfo> ownerElsewhere(String store, String key) {
        KafkaStreams streams = streamsWithMetadata(store);
        if (streams == null) {
            return Optional.empty();
        }
        KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE || metadata.activeHost() == null
                || metadata.activeHost().port() < 0 || metadata.activeHost().equals(self)) {
            return Optional.empty();
        }
        return Optional.of(metadata.activeHost());
    }

    /** The other instances that hold active tasks of {@code store}, or all other instances when null. */
    List<HostInfo> others(String store) {
        KafkaStreams streams = streamsWithMetadata(store);
        List<HostInfo> out = new ArrayList<>();
        if (streams == null) {
            return out;
        }
        for (StreamsMetadata client : streams.metadataForAllStreamsClients()) {
            HostInfo host = client.hostInfo();
            if (!host.equals(self) && host.port() >= 0 && (store == null || client.stateStoreNames().contains(store))) {
                out.add(host);
            }
        }
        return out;
    }

    /** Whether this instance holds active tasks of {@code store} (always true for a lone instance). */
    boolean holdsLocally(String store) {
        KafkaStreams streams = streamsWithMetadata(store);
        if (streams == null) {
            return true;
        }
        for (StreamsMetadata client : streams.metadataForAllStreamsClients()) {
            if (client.hostInfo().equals(self)) {
                return client.stateStoreNames().contains(store);
            }
        }
        // Not in the metadata yet (still joining): try the local stores, they answer or say they are not ready.
        return true;
    }

    /**
     * The Kafka Streams client that holds {@code store} (the training client the replay buffer, the forecasting
     * client the rest; both advertise the same application.server) when it can tell where data lives (RUNNING or
     * REBALANCING, and this instance advertises itself); null otherwise, and then this instance answers alone.
     */
    private KafkaStreams streamsWithMetadata(String store) {
        KafkaStreams streams = StreamNames.BUFFER_STORE.equals(store) ? service.trainerStreams()
                : service.streams();
        if (self == null || streams == null) {
            return null;
        }
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING ? streams : null;
    }

    Answer get(HostInfo host, String pathAndQuery) {
        return send(host, HttpRequest.newBuilder(uri(host, pathAndQuery)).GET());
    }

    Answer post(HostInfo host, String pathAndQuery) {
        return send(host, HttpRequest.newBuilder(uri(host, pathAndQuery)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Answer send(HostInfo host, HttpRequest.Builder request) {
        request.timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
        // Instances share one configuration: this instance's own token, never the caller's header, goes along.
        String token = service.config().get(HttpSettings.ADMIN_TOKEN);
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            LOG.warn("instance {} did not answer: {}", name(host), e.toString());
            throw new ApiException(502, "instance " + name(host) + " did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while asking instance " + name(host));
        }
    }

    private URI uri(HostInfo host, String pathAndQuery) {
        String h = host.host().contains(":") && !host.host().startsWith("[") ? "[" + host.host() + "]" : host.host();
        return URI.create(scheme + "://" + h + ":" + host.port() + pathAndQuery);
    }

    static String name(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    /** A path segment or query value, percent-encoded (spaces as %20, so it is right in paths too). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
