package dev.streamcast.ops;

import dev.streamcast.ops.ApiViews.Health;
import dev.streamcast.stream.StreamcastService;
import dev.streamcast.stream.StreamcastTopology;
import io.javalin.http.Context;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health}: the process answers (liveness). {@code GET /ready}: Kafka Streams is RUNNING and the
 * sensor store answers queries (readiness: send traffic here); 503 until then, and again while rebalancing.
 */
final class HealthHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);

    private final StreamcastService service;
    private final PeerInstances peers;
    private final JsonResponses json;

    HealthHandler(StreamcastService service, PeerInstances peers, JsonResponses json) {
        this.service = service;
        this.peers = peers;
        this.json = json;
    }

    void health(Context ctx) {
        json.send(ctx, 200, new Health("UP", state()));
    }

    void ready(Context ctx) {
        String state = state();
        boolean ready = isReady(state);
        json.send(ctx, ready ? 200 : 503, new Health(ready ? "READY" : "NOT_READY", state));
    }

    /** What {@code GET /ready} answers 200 for. */
    boolean isReady() {
        return isReady(state());
    }

    private boolean isReady(String state) {
        return state.equals(KafkaStreams.State.RUNNING.name()) && storesQueryable() && trainerAlive();
    }

    private String state() {
        KafkaStreams streams = service.streams();
        return streams == null ? "NOT_STARTED" : streams.state().name();
    }

    /** The training client may rebalance while forecasts go on; stopped, the models would go stale. */
    private boolean trainerAlive() {
        KafkaStreams trainer = service.trainerStreams();
        return trainer != null && trainer.state().isRunningOrRebalancing();
    }

    private boolean storesQueryable() {
        if (!peers.holdsLocally(StreamcastTopology.SENSOR_STORE)) {
            // More instances than partitions: this one holds no sensors, yet it answers by asking the others.
            return true;
        }
        try {
            StoreAccess.open(service, StreamcastTopology.SENSOR_STORE).approximateNumEntries();
            return true;
        } catch (InvalidStateStoreException | ApiException e) {
            LOG.debug("the sensor store is not queryable yet: {}", e.getMessage());
            return false;
        }
    }
}
