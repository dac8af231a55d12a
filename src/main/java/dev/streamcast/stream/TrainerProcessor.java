package dev.streamcast.stream;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.TrainingSet;
import dev.streamcast.wire.SampleBatch;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer task: files each batch of training samples ({@link SampleBatch}) in the model's replay buffer
 * ({@link ReplayBuffer}) and starts retrainings when they are due: by the stream's position ({@link RetrainSchedule}),
 * every retrain.every of wall-clock time, or on request (POST /api/models/{id}/retrain), once the buffer holds
 * enough samples. A retraining starts from the samples already received.
 *
 * <p>Training runs on the executor, never on the stream thread; its outcome is picked up within
 * {@link #PACE_CHECK_MS} (or on the next batch) and, when the challenger won, published to the models topic as the
 * next version (inside the stream's transaction under exactly-once). The next retraining starts from that version
 * at once, without waiting for the global store to read it back.
 */
public final class TrainerProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerProcessor.class);
    /** A requested retraining still needs a few samples to train on and one to score on. */
    private static final int MIN_SAMPLES_ON_REQUEST = 10;
    private static final long STALE_REQUEST_MS = 60_000;
    /**
     * How often finished trainings and the shared model's schedule are checked: at 100,000 samples/s the stream makes
     * 1,000 samples in this time, well inside the 5,000 a retraining may start late.
     */
    public static final long PACE_CHECK_MS = 10;

    private final ForecastSettings settings;
    private final ModelRegistry registry;
    private final StreamMetrics metrics;
    private final Executor executor;
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final Set<String> training = new HashSet<>();
    // Retraining requests for models this task holds no samples of: which request, and when this task first saw it.
    private final Map<String, SeenRequest> requestsSeen = new HashMap<>();
    private final RetrainSchedule schedule;
    private ModelPublisher publisher;
    private long scanEveryMs;
    private long lastScanMs;
    private final SampleBatch.Reader batch;
    private ProcessorContext<String, byte[]> context;
    private ReplayBuffer buffer;

    private record SeenRequest(long number, long firstSeenMs) {
    }

    /** A retraining's outcome and the stream's position when it finished. */
    private record Finished(ChallengerTrainer.Outcome outcome, long position) {
    }

    TrainerProcessor(ForecastSettings settings, ModelRegistry registry, StreamMetrics metrics, Executor executor) {
        this.settings = settings;
        this.registry = registry;
        this.metrics = metrics;
        this.executor = executor;
        this.batch = new SampleBatch.Reader(settings.windowLength(), settings.features().code(),
                settings.features().count(), settings.features().toString());
        this.schedule = new RetrainSchedule(settings, metrics);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        KeyValueStore<String, byte[]> store = context.getStateStore(StreamNames.BUFFER_STORE);
        this.buffer = new ReplayBuffer(store, settings.retrain().bufferSize(), settings.windowLength(),
                settings.features());
        this.publisher = new ModelPublisher(registry, context);
        Duration every = settings.retrain().every();
        // Scan the schedules a few times per period so a time-triggered retraining is at most a little late...
        scanEveryMs = Math.max(200, Math.min(every.toMillis() / 4, 30_000));
        // ...look for retraining requests every second...
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::onClock);
        // ...and keep pace with the stream.
        context.schedule(Duration.ofMillis(PACE_CHECK_MS), PunctuationType.WALL_CLOCK_TIME, now -> {
            publishFinished();
            if (!settings.perSensor()) {
                String modelId = settings.modelId();
                ReplayBuffer.Meta meta = buffer.meta(modelId);
                if (meta != null) {
                    trainIfDue(modelId, meta, now);
                    publishFinished();
                }
                // Still due after trying: it waits for samples the reading tasks have not committed yet.
                metrics.trainerWantsSamples(meta == null || !training.contains(modelId) && schedule.isDue(
                        schedule.position(modelId, meta), meta, publisher.champion(modelId) != null));
            }
        });
        if (settings.perSensor()) {
            // A sensor's own model learns from a few samples a second: no reason to commit sooner for them.
            metrics.trainerWantsSamples(false);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        publishFinished();
        String modelId = record.key();
        if (modelId == null || !batch.read(record.value())) {
            metrics.recordSampleBatchSkipped();
            LOG.warn("skipping a malformed batch of training samples for model '{}': {}", modelId,
                    modelId == null ? "no key" : batch.problem());
            return;
        }
        metrics.recordSamplesReceived(batch.origin(), batch.count());
        long now = context.currentSystemTimeMs();
        ReplayBuffer.Meta meta = buffer.meta(modelId);
        if (meta == null) {
            // The clock of time-triggered retraining starts with the first sample.
            meta = buffer.create(modelId, now);
        }
        buffer.append(modelId, meta, batch);
        schedule.received(modelId, meta);
        trainIfDue(modelId, meta, now);
        publishFinished();
    }

    /** Starts a retraining when the schedule says it is due. */
    private void trainIfDue(String modelId, ReplayBuffer.Meta meta, long now) {
        long position = schedule.position(modelId, meta);
        boolean hasModel = publisher.champion(modelId) != null;
        if (!schedule.isDue(position, meta, hasModel) || training.contains(modelId)) {
            return;
        }
        long lag = schedule.lag(modelId, meta, position, hasModel);
        if (maybeTrain(modelId, meta, now, (position - meta.lastStartPosition) + " new samples",
                settings.retrain().minSamples(), position)) {
            metrics.recordRetrainStart(lag);
            buffer.saveMeta(modelId, meta);
        }
    }

    private void onClock(long now) {
        publishFinished();
        publisher.republishDamaged();
        for (String modelId : registry.retrainRequests()) {
            long number = registry.retrainRequestNumber(modelId);
            ReplayBuffer.Meta meta = buffer.meta(modelId);
            if (meta != null) {
                // This task holds the model's samples: it answers the request.
                registry.clearRetrainRequest(modelId, number);
                if (buffer.held(meta) >= MIN_SAMPLES_ON_REQUEST && maybeTrain(modelId, meta, now, "requested",
                        MIN_SAMPLES_ON_REQUEST, schedule.position(modelId, meta))) {
                    buffer.saveMeta(modelId, meta);
                } else {
                    LOG.info("retraining of model '{}' requested but not started: {}", modelId,
                            training.contains(modelId) ? "one is running" : "only " + buffer.held(meta) + " samples");
                }
                continue;
            }
            // No task of this instance holds the model's samples: another instance answers, or none has any. The
            // request is dropped once it has waited a minute; the minute is this request's (by its number), not the
            // first request's this task saw, or every request after the first minute would be dropped at once,
            // whichever task got to it first.
            SeenRequest seen = requestsSeen.get(modelId);
            if (seen == null || seen.number() != number) {
                requestsSeen.put(modelId, new SeenRequest(number, now));
            } else if (now - seen.firstSeenMs() > STALE_REQUEST_MS) {
                registry.clearRetrainRequest(modelId, number);
                requestsSeen.remove(modelId);
            }
        }
        if (now - lastScanMs < scanEveryMs) {
            publishFinished();
            return;
        }
        lastScanMs = now;
        long everyMs = settings.retrain().every().toMillis();
        try (KeyValueIterator<String, byte[]> it = context.<KeyValueStore<String, byte[]>>getStateStore(
                StreamNames.BUFFER_STORE).prefixScan(ReplayBuffer.META_PREFIX, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                String modelId = ReplayBuffer.modelIdOf(entry.key);
                ReplayBuffer.Meta meta = buffer.meta(modelId);
                if (meta != null && now - meta.lastTrainingMs >= everyMs) {
                    if (maybeTrain(modelId, meta, now, "retrain.every elapsed", settings.retrain().minSamples(),
                            schedule.position(modelId, meta))) {
                        buffer.saveMeta(modelId, meta);
                    }
                }
            }
        }
        publishFinished();
    }

    /** Starts a retraining of {@code modelId} unless one is running or the buffer is too small; true if started. */
    private boolean maybeTrain(String modelId, ReplayBuffer.Meta meta, long now, String trigger, int minSamples,
                               long position) {
        if (training.contains(modelId) || buffer.held(meta) < minSamples) {
            return false;
        }
        if (!registry.isLoaded()) {
            // The champion is not known yet (the forecasting client is still reading the models topic): a retraining
            // now would take the newest version for none and publish one that exists already.
            return false;
        }
        Forecaster champion = publisher.champion(modelId);
        TrainingSet samples = buffer.snapshot(modelId, meta);
        ModelRegistry.Entry shared = settings.perSensor() ? registry.get(settings.modelId()) : null;
        if (shared != null && !shared.prototype().features().isSubsetOf(settings.features())) {
            shared = null; // a shared model of features the samples lack cannot start this one
        }
        Forecaster championCopy = champion == null ? null : champion.copy();
        // With no champion, start from the shared model (per-sensor scope) or a fresh architecture.
        Forecaster start = shared != null ? shared.prototype().copy()
                : ModelCodec.toForecaster(settings.architecture(), settings.retrain().options().seed() + meta.total);
        LOG.info("retraining model '{}' ({}): {} samples, champion {}", modelId, trigger, samples.size(),
                champion == null ? "none" : "version " + champion.version());
        try {
            executor.execute(() -> {
                ChallengerTrainer.Outcome outcome;
                try {
                    outcome = ChallengerTrainer.run(modelId, championCopy, start, samples,
                            settings.retrain().holdout(), settings.retrain().options());
                } catch (RuntimeException e) {
                    LOG.error("retraining model '{}' failed", modelId, e);
                    outcome = new ChallengerTrainer.Outcome(modelId, false, null, "failed: " + e, now, 0,
                            samples.size(), 0, 0, Double.NaN, Double.NaN, Double.NaN,
                            championCopy == null ? 0 : championCopy.version());
                }
                finished.add(new Finished(outcome, schedule.positionFromAnyThread(modelId)));
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("cannot retrain model '{}' now: the training executor is shut down", modelId);
            return false;
        }
        training.add(modelId);
        meta.lastStartPosition = position;
        meta.lastTrainingMs = now;
        return true;
    }

    /** Publishes the winners of finished retrainings and records every decision. */
    private void publishFinished() {
        Finished done;
        while ((done = finished.poll()) != null) {
            ChallengerTrainer.Outcome outcome = done.outcome();
            training.remove(outcome.modelId());
            schedule.finished(outcome.modelId(), done.position(), buffer.meta(outcome.modelId()));
            registry.recordRun(outcome);
            LOG.info("retraining of model '{}' {} ({} ms)", outcome.modelId(), outcome.reason(), outcome.durationMs());
            if (outcome.accepted()) {
                publisher.publish(outcome);
            }
        }
    }
}
