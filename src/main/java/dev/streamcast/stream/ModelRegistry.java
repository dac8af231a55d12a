package dev.streamcast.stream;

import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.model.Forecaster;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The models this instance forecasts with, by model id: filled by the global store's processor from the models
 * topic, read by every stream thread. Replacing an entry is one atomic reference swap, so a forecast uses either
 * the old version or the new one, never a mix. Also remembers recent retraining decisions for the ops API.
 */
public final class ModelRegistry {

    /** One published model version. {@code prototype} is never used to forecast: each thread copies it. */
    public record Entry(String modelId, long version, Forecaster prototype, String createdAt) {
    }

    private static final int RUNS_KEPT = 200;

    private final Map<String, Entry> models = new ConcurrentHashMap<>();
    private final Deque<ChallengerTrainer.Outcome> runs = new ArrayDeque<>();
    // Pending retraining requests: model id -> the request's number. Each request gets a new number, so a task can
    // tell a fresh request from the one it has been watching.
    private final Map<String, Long> retrainRequests = new ConcurrentHashMap<>();
    private final AtomicLong requestNumbers = new AtomicLong();
    private final Set<String> republishRequests = ConcurrentHashMap.newKeySet();
    // Whether the models topic has been read into this registry: until then the trainer would take "no model yet"
    // for the truth and publish a version that exists already (or one below the newest).
    private volatile boolean loaded = true;

    /** The current version of a model, or null when none has been published. */
    public Entry get(String modelId) {
        return models.get(modelId);
    }

    /** Installs {@code entry} if it is newer than the current version; returns whether it was installed. */
    public boolean offer(Entry entry) {
        boolean[] installed = new boolean[1];
        models.compute(entry.modelId(), (id, current) -> {
            if (current == null || entry.version() > current.version()) {
                installed[0] = true;
                return entry;
            }
            return current;
        });
        return installed[0];
    }

    public Map<String, Entry> all() {
        return Map.copyOf(models);
    }

    /**
     * Asks for a retraining of {@code modelId} now (POST /api/models/{id}/retrain). The trainer task that holds
     * the model's samples on this instance picks it up at its next clock check.
     */
    public void requestRetrain(String modelId) {
        retrainRequests.put(modelId, requestNumbers.incrementAndGet());
    }

    /** Model ids with a pending retraining request. */
    public Set<String> retrainRequests() {
        return Set.copyOf(retrainRequests.keySet());
    }

    /** The number of the pending request for {@code modelId} (a new one per request), or 0 when none is pending. */
    long retrainRequestNumber(String modelId) {
        return retrainRequests.getOrDefault(modelId, 0L);
    }

    /** Removes the request numbered {@code number}; a newer request for the same model stays pending. */
    void clearRetrainRequest(String modelId, long number) {
        retrainRequests.remove(modelId, number);
    }

    /**
     * Asks for the current version of {@code modelId} to be written to the models topic again: a record that
     * cannot be used (corrupt, or an older version) now follows it under its key, and the compacted topic would
     * otherwise keep only that record, losing the good model on the next start.
     */
    void requestRepublish(String modelId) {
        republishRequests.add(modelId);
    }

    /** A usable record for the model came after the unusable one: nothing to repair. */
    void cancelRepublish(String modelId) {
        republishRequests.remove(modelId);
    }

    Set<String> republishRequests() {
        return Set.copyOf(republishRequests);
    }

    /** True for the one caller that takes the request on this instance. */
    boolean claimRepublish(String modelId) {
        return republishRequests.remove(modelId);
    }

    public void recordRun(ChallengerTrainer.Outcome outcome) {
        synchronized (runs) {
            runs.addFirst(outcome);
            while (runs.size() > RUNS_KEPT) {
                runs.removeLast();
            }
        }
    }

    /** Recent retraining decisions, newest first. */
    public List<ChallengerTrainer.Outcome> runs() {
        synchronized (runs) {
            return new ArrayList<>(runs);
        }
    }

    /** The models topic is about to be read (a service starting): the trainer waits for {@link #markLoaded}. */
    public void markLoading() {
        loaded = false;
    }

    /** Every model of the models topic up to now is in the registry (the global store is restored). */
    public void markLoaded() {
        loaded = true;
    }

    /** Whether the registry holds what the models topic held when the service started. */
    boolean isLoaded() {
        return loaded;
    }
}
