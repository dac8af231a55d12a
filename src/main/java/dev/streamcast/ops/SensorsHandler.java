package dev.streamcast.ops;

import dev.streamcast.ops.ApiViews.SensorPage;
import dev.streamcast.ops.ApiViews.SensorSummary;
import dev.streamcast.stream.StreamNames;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/sensors} and {@code GET /api/sensors/{id}}. A sensor lives on the instance whose task holds its
 * partition: a single sensor is asked of that instance, a page is merged from every instance, so the answer is
 * the same whichever instance is asked.
 */
final class SensorsHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SensorsHandler.class);
    static final int MAX_ID_LENGTH = 256;

    private final LocalSensorQueries local;
    private final PeerInstances peers;
    private final JsonResponses json;

    SensorsHandler(LocalSensorQueries local, PeerInstances peers, JsonResponses json) {
        this.local = local;
        this.peers = peers;
        this.json = json;
    }

    void list(Context ctx) {
        boolean localScope = isLocalScope(ctx);
        PageRequest request = PageRequest.from(ctx, localScope);
        if (localScope) {
            json.send(ctx, 200, local.page(request));
            return;
        }
        PageRequest upToPage = request.fromStart();
        List<SensorSummary> merged = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        long total = 0;
        if (peers.holdsLocally(StreamNames.SENSOR_STORE)) {
            SensorPage own = local.page(upToPage);
            merged.addAll(own.sensors());
            total += own.total();
        }
        for (HostInfo host : peers.others(StreamNames.SENSOR_STORE)) {
            Optional<SensorPage> page = askForPage(host, upToPage);
            if (page.isPresent()) {
                merged.addAll(page.get().sensors());
                total += page.get().total();
            } else {
                unreachable.add(PeerInstances.name(host));
            }
        }
        merged.sort(Comparator.comparing(SensorSummary::id));
        int from = Math.min(request.offset(), merged.size());
        int to = Math.min(merged.size(), request.offset() + request.limit());
        json.send(ctx, 200, new SensorPage(request.prefix(), request.offset(), request.limit(), total,
                List.copyOf(merged.subList(from, to)), unreachable));
    }

    private Optional<SensorPage> askForPage(HostInfo host, PageRequest request) {
        try {
            PeerInstances.Answer answer = peers.get(host, "/api/sensors" + request.localQuery());
            if (answer.status() == 200) {
                return Optional.of(json.read(answer.body(), SensorPage.class));
            }
            // A 503 is a peer between two assignments (a rebalance, its stores restoring): normal, and the page lists
            // the peer as unreachable, which is what the caller needs; anything else is worth a warning.
            if (answer.status() == 503) {
                LOG.info("instance {} is rebalancing (503) and left out of a sensor list", PeerInstances.name(host));
            } else {
                LOG.warn("instance {} answered {} to a sensor list request", PeerInstances.name(host),
                        answer.status());
            }
        } catch (ApiException | IOException e) {
            LOG.warn("no sensor list from instance {}: {}", PeerInstances.name(host), e.getMessage());
        }
        return Optional.empty();
    }

    void get(Context ctx) {
        String id = sensorId(ctx);
        if (!isLocalScope(ctx)) {
            Optional<HostInfo> owner = peers.ownerElsewhere(StreamNames.SENSOR_STORE, id);
            if (owner.isPresent()) {
                PeerInstances.Answer answer = peers.get(owner.get(),
                        "/api/sensors/" + PeerInstances.encode(id) + "?scope=" + PeerInstances.LOCAL_SCOPE);
                json.sendRaw(ctx, answer.status(), answer.body());
                return;
            }
        }
        json.send(ctx, 200, local.detail(id).orElseThrow(() -> ApiException.notFound("no sensor '" + id + "'")));
    }

    static String sensorId(Context ctx) {
        String id = ctx.pathParam("id");
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw ApiException.badRequest("a sensor id has 1 to " + MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    static boolean isLocalScope(Context ctx) {
        return PeerInstances.LOCAL_SCOPE.equals(ctx.queryParam("scope"));
    }
}
