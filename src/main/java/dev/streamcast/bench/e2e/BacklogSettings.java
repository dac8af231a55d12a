package dev.streamcast.bench.e2e;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The load of {@code streamcast bench backlog}: {@code readings} preloaded over {@code sensors} (reading i belongs
 * to sensor i % sensors), each a JSON object with its timestamp ({@code json}) or a plain number; the runnable jar
 * the broker and the service are started from; the peer that drains the same readings first, or null to run
 * without one; and how the service is started ({@link BacklogService}).
 */
public record BacklogSettings(long readings, int sensors, boolean json, Path jar, BacklogPeer peer,
                              BacklogService service) {

    /** The default load: a backlog a fresh service meets after an outage of a few minutes at a large site. */
    public static final long DEFAULT_READINGS = 1_000_000;
    public static final int DEFAULT_SENSORS = 1_000;
    /** A sensor's first readings fill its window: the peer forecasts from a window of 3, so from the 3rd on. */
    static final int PEER_WINDOW = 3;

    /** The seed's load: the service forecasts with the seed model trained by {@code streamcast train}. */
    public BacklogSettings(long readings, int sensors, boolean json, Path jar, BacklogPeer peer) {
        this(readings, sensors, json, jar, peer, BacklogService.SEED);
    }

    public BacklogSettings {
        if (service.model() != null && peer != null) {
            throw new IllegalArgumentException("--peer " + peer.kind().name().toLowerCase(Locale.ROOT)
                    + ": the peer forecasts with the seed model only; with --model, leave it out");
        }
        if (sensors < 1) {
            throw new IllegalArgumentException("--sensors " + sensors + ": at least 1");
        }
        if (readings < (long) PEER_WINDOW * sensors) {
            throw new IllegalArgumentException("--readings " + readings + ": at least " + PEER_WINDOW
                    + " per sensor (" + (long) PEER_WINDOW * sensors + " for " + sensors + " sensors), so every "
                    + "sensor's window fills");
        }
    }

    /** The forecasts the peer writes: one per reading once its sensor's window is full. */
    long peerForecasts() {
        return readings - (long) (PEER_WINDOW - 1) * sensors;
    }
}
