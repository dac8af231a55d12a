package dev.streamcast.ops;

import dev.streamcast.ops.ApiViews.Health;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.stream.StreamNames;
import io.javalin.http.Context;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health}: the process answers (liveness). {@code GET /ready}: Kafka Streams is RUNNING, the sensor
 * store answers queries, Kafka answers ({@link KafkaReachability}) and records fail with internal errors no more
 * often than {@code http.ready.max-internal-errors-per-minute} (readiness: send traffic here); 503 until then, again
 * while rebalancing, while Kafka is gone and while internal errors pass that rate (the answer's {@code reason} says
 * why in the last two cases).
 */
final class HealthHandler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);

    private final StreamcastService service;
    private final PeerInstances peers;
    private final JsonResponses json;
    private final int maxInternalErrorsPerMinute;
    // Started at the first readiness question: an instance nobody asks runs no probe.
    private KafkaReachability kafka;

    HealthHandler(StreamcastService service, PeerInstances peers, JsonResponses json) {
        this.service = service;
        this.peers = peers;
        this.json = json;
        this.maxInternalErrorsPerMinute = HttpSettings.readyMaxInternalErrors(service.config());
    }

    void health(Context ctx) {
        json.send(ctx, 200, new Health("UP", state(), null));
    }

    void ready(Context ctx) {
        String state = state();
        String why = notReadyReason();
        boolean ready = isReady(state) && why == null;
        json.send(ctx, ready ? 200 : 503, new Health(ready ? "READY" : "NOT_READY", state, why));
    }

    /** What {@code GET /ready} answers 200 for. */
    boolean isReady() {
        return isReady(state()) && notReadyReason() == null;
    }

    /** Why the instance is not ready beyond Kafka Streams' state (Kafka gone, internal errors), or null. */
    private String notReadyReason() {
        String gone = kafka().gone(System.currentTimeMillis());
        return gone != null ? gone : internalErrors();
    }

    private synchronized KafkaReachability kafka() {
        if (kafka == null) {
            kafka = new KafkaReachability(service.config().kafkaProperties());
        }
        return kafka;
    }

    @Override
    public synchronized void close() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    private boolean isReady(String state) {
        return state.equals(KafkaStreams.State.RUNNING.name()) && storesQueryable() && trainerAlive();
    }

    /** Why internal errors make the instance not ready, or null when they do not. */
    private String internalErrors() {
        long lastMinute = service.metrics().internalErrorsLastMinute(System.currentTimeMillis());
        if (lastMinute <= maxInternalErrorsPerMinute) {
            return null;
        }
        return lastMinute + " records failed with an internal error in the last minute (more than "
                + HttpSettings.READY_MAX_INTERNAL_ERRORS + "=" + maxInternalErrorsPerMinute
                + "); they are in the dead-letter topic with reason internal-error";
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
        if (!peers.holdsLocally(StreamNames.SENSOR_STORE)) {
            // More instances than partitions: this one holds no sensors, yet it answers by asking the others.
            return true;
        }
        try {
            StoreAccess.open(service, StreamNames.SENSOR_STORE).approximateNumEntries();
            return true;
        } catch (InvalidStateStoreException | ApiException e) {
            LOG.debug("the sensor store is not queryable yet: {}", e.getMessage());
            return false;
        }
    }
}
