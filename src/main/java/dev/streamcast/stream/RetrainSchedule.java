package dev.streamcast.stream;

import dev.streamcast.config.ForecastSettings;
import java.util.HashMap;
import java.util.Map;

/**
 * When a model's next retraining is due, by the stream's position in samples: every retrain.every.samples since
 * the last one started, or, when a retraining was still running at that point, as soon as it finished. Until a
 * first model is accepted, every retrain.min.samples instead (when smaller): a short series among long ones, or a
 * first challenger the gate refused, gets its first model early instead of one retrain.every.samples later. It also
 * measures how late each retraining starts against that point ({@link StreamMetrics#maxRetrainStartLagSamples}).
 *
 * <p>The position of the shared model (global scope) is the samples the trainer has received plus those this
 * instance's reading tasks have made but not yet sent or committed ({@link StreamMetrics#samplesInFlight()}): the
 * trainer reads committed batches, at least a commit interval behind, and under a backlog the stream makes tens of
 * thousands of samples in that time. A per-sensor model's samples come from one sensor, a few per second: its
 * position is the samples received.
 *
 * <pre>
 *   position = received + (shared model ? in flight : 0)
 *   due      = lastStart + (a model exists ? every : min(every, min.samples))
 *   lag      = position - max(due, position when the previous retraining finished)   at the start
 * </pre>
 */
final class RetrainSchedule {

    private final ForecastSettings settings;
    private final StreamMetrics metrics;
    // The stream's position when the last retraining of a model finished.
    private final Map<String, Long> finishedAt = new HashMap<>();
    // Samples received for the shared model, for the training thread to read the position when it finishes.
    private volatile long sharedReceived;

    RetrainSchedule(ForecastSettings settings, StreamMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    boolean isShared(String modelId) {
        return !settings.perSensor() && modelId.equals(settings.modelId());
    }

    /** Notes the samples received so far (after each batch). */
    void received(String modelId, ReplayBuffer.Meta meta) {
        if (isShared(modelId)) {
            sharedReceived = meta.total;
        }
    }

    /** The stream's position for a model, in samples. */
    long position(String modelId, ReplayBuffer.Meta meta) {
        return isShared(modelId) ? meta.total + metrics.samplesInFlight() : meta.total;
    }

    /** The shared model's position, read from any thread (the training thread, when it finishes); -1 otherwise. */
    long positionFromAnyThread(String modelId) {
        return isShared(modelId) ? sharedReceived + metrics.samplesInFlight() : -1;
    }

    boolean isDue(long position, ReplayBuffer.Meta meta, boolean hasModel) {
        return position >= meta.lastStartPosition + interval(hasModel);
    }

    private long interval(boolean hasModel) {
        int every = settings.retrain().everySamples();
        return hasModel ? every : Math.min(every, settings.retrain().minSamples());
    }

    /** How many samples past its due point a retraining starting now at {@code position} is. */
    long lag(String modelId, ReplayBuffer.Meta meta, long position, boolean hasModel) {
        long due = meta.lastStartPosition + interval(hasModel);
        long from = Math.max(due, finishedAt.getOrDefault(modelId, 0L));
        return Math.max(0, position - from);
    }

    /** Records where the stream was when a retraining finished ({@code position} -1: not known, use the meta). */
    void finished(String modelId, long position, ReplayBuffer.Meta meta) {
        finishedAt.put(modelId, position >= 0 ? position : meta == null ? 0 : meta.total);
    }
}
