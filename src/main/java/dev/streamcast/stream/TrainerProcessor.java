package dev.streamcast.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.TrainingSet;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the replay buffer of each model id from the training samples topic and retrains: every
 * retrain.every.samples new samples or every retrain.every of wall-clock time, whichever comes first, once the
 * buffer holds retrain.min.samples. Training runs on the executor, never on the stream thread; its outcome is
 * picked up on a later record or punctuation and, when the challenger won, published to the models topic as the
 * next version (inside the stream's transaction under exactly-once).
 */
final class TrainerProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerProcessor.class);
    // Double.parseDouble was half of reading a sample; the fast parser gives the same correctly rounded values.
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    /** A requested retraining still needs a few samples to train on and one to score on. */
    private static final int MIN_SAMPLES_ON_REQUEST = 10;
    private static final long STALE_REQUEST_MS = 60_000;

    private final ForecastSettings settings;
    private final ModelRegistry registry;
    private final Executor executor;
    private final Queue<ChallengerTrainer.Outcome> finished = new ConcurrentLinkedQueue<>();
    private final Set<String> training = new HashSet<>();
    // Retraining requests for models this task holds no samples of: which request, and when this task first saw it.
    private final Map<String, SeenRequest> requestsSeen = new HashMap<>();
    // The version this task last published per model id. Until the global store has read it back, the registry
    // still holds the previous champion, and a challenger started from it would reuse the published version number.
    private final Map<String, Long> published = new HashMap<>();
    private long scanEveryMs;
    private long lastScanMs;
    // The sample being read: its window and the value that followed it.
    private final double[] window;
    private double actual;
    private ProcessorContext<String, byte[]> context;
    private ReplayBuffer buffer;

    private record SeenRequest(long number, long firstSeenMs) {
    }

    TrainerProcessor(ForecastSettings settings, ModelRegistry registry, Executor executor) {
        this.settings = settings;
        this.registry = registry;
        this.executor = executor;
        this.window = new double[settings.windowLength()];
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        KeyValueStore<String, byte[]> store = context.getStateStore(StreamcastTopology.BUFFER_STORE);
        this.buffer = new ReplayBuffer(store, settings.retrain().bufferSize(), settings.windowLength());
        Duration every = settings.retrain().every();
        // Scan the schedules a few times per period so a time-triggered retraining is at most a little late...
        scanEveryMs = Math.max(200, Math.min(every.toMillis() / 4, 30_000));
        // ...and look for finished trainings and retraining requests every second.
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::onClock);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        publishFinished();
        String modelId = record.key();
        if (modelId == null || !readSample(record.value())) {
            LOG.warn("skipping a malformed training sample for model '{}'", modelId);
            return;
        }
        long now = context.currentSystemTimeMs();
        ReplayBuffer.Meta meta = buffer.meta(modelId);
        if (meta == null) {
            meta = new ReplayBuffer.Meta();
            // The clock of time-triggered retraining starts with the first sample.
            meta.lastTrainingMs = now;
        }
        buffer.add(modelId, meta, window, actual);
        if (meta.sinceTraining >= settings.retrain().everySamples()) {
            maybeTrain(modelId, meta, now, meta.sinceTraining + " new samples", settings.retrain().minSamples());
        }
        buffer.saveMeta(modelId, meta);
        publishFinished();
    }

    /**
     * Reads {"window":[..],"actual":..} (other fields are skipped) into {@link #window} and {@link #actual}; false
     * when the value is not such an object. A streaming parse: building a tree per sample cost a third of the
     * trainer's time per sample.
     */
    private boolean readSample(byte[] value) {
        boolean haveWindow = false;
        boolean haveActual = false;
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken token = p.nextToken();
                if (field.equals("window")) {
                    if (token != JsonToken.START_ARRAY) {
                        return false;
                    }
                    int n = 0;
                    while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (!token.isNumeric() || n == window.length) {
                            return false;
                        }
                        window[n++] = p.getDoubleValue();
                    }
                    haveWindow = n == window.length;
                } else if (field.equals("actual")) {
                    if (!token.isNumeric()) {
                        return false;
                    }
                    actual = p.getDoubleValue();
                    haveActual = true;
                } else {
                    p.skipChildren();
                }
            }
            return haveWindow && haveActual;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void onClock(long now) {
        publishFinished();
        republishDamagedModels();
        for (String modelId : registry.retrainRequests()) {
            long number = registry.retrainRequestNumber(modelId);
            ReplayBuffer.Meta meta = buffer.meta(modelId);
            if (meta != null) {
                // This task holds the model's samples: it answers the request.
                if (awaitingPublished(modelId)) {
                    // The version just published does not serve yet: keep the request for the next clock check,
                    // else a request made at that moment would be dropped.
                    continue;
                }
                registry.clearRetrainRequest(modelId, number);
                if (meta.size >= MIN_SAMPLES_ON_REQUEST && maybeTrain(modelId, meta, now, "requested", MIN_SAMPLES_ON_REQUEST)) {
                    buffer.saveMeta(modelId, meta);
                } else {
                    LOG.info("retraining of model '{}' requested but not started: {}", modelId,
                            training.contains(modelId) ? "one is running" : "only " + meta.size + " samples");
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
                StreamcastTopology.BUFFER_STORE).prefixScan(ReplayBuffer.META_PREFIX, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                String modelId = ReplayBuffer.modelIdOf(entry.key);
                ReplayBuffer.Meta meta = buffer.meta(modelId);
                if (now - meta.lastTrainingMs >= everyMs) {
                    if (maybeTrain(modelId, meta, now, "retrain.every elapsed", settings.retrain().minSamples())) {
                        buffer.saveMeta(modelId, meta);
                    }
                }
            }
        }
        publishFinished();
    }

    /** Starts a retraining of {@code modelId} unless one is running or the buffer is too small; true if started. */
    private boolean maybeTrain(String modelId, ReplayBuffer.Meta meta, long now, String trigger, int minSamples) {
        if (training.contains(modelId) || meta.size < minSamples) {
            return false;
        }
        if (awaitingPublished(modelId)) {
            // Due, but wait until the model just published serves: the next sample or clock check starts it.
            return false;
        }
        ModelRegistry.Entry champion = registry.get(modelId);
        TrainingSet samples = buffer.snapshot(modelId, meta);
        ModelRegistry.Entry shared = settings.perSensor() ? registry.get(settings.modelId()) : null;
        Forecaster championCopy = champion == null ? null : champion.prototype().copy();
        // With no champion, start from the shared model (per-sensor scope) or a fresh architecture.
        Forecaster start = shared != null ? shared.prototype().copy()
                : ModelCodec.toForecaster(settings.architecture(), settings.retrain().options().seed() + meta.total);
        LOG.info("retraining model '{}' ({}): {} samples, champion {}", modelId, trigger, samples.size(),
                champion == null ? "none" : "version " + champion.version());
        try {
            executor.execute(() -> {
                try {
                    finished.add(ChallengerTrainer.run(modelId, championCopy, start, samples,
                            settings.retrain().holdout(), settings.retrain().options()));
                } catch (RuntimeException e) {
                    LOG.error("retraining model '{}' failed", modelId, e);
                    finished.add(new ChallengerTrainer.Outcome(modelId, false, null, "failed: " + e, now, 0,
                            samples.size(), 0, 0, Double.NaN, Double.NaN, Double.NaN,
                            championCopy == null ? 0 : championCopy.version()));
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("cannot retrain model '{}' now: the training executor is shut down", modelId);
            return false;
        }
        training.add(modelId);
        meta.sinceTraining = 0;
        meta.lastTrainingMs = now;
        return true;
    }

    /** Whether this task published a version of the model that the registry does not serve yet. */
    private boolean awaitingPublished(String modelId) {
        Long lastPublished = published.get(modelId);
        ModelRegistry.Entry champion = registry.get(modelId);
        return lastPublished != null && (champion == null || champion.version() < lastPublished);
    }

    /**
     * Writes the current version of a model again after an unusable record under its key (see
     * {@link ModelRegistry#requestRepublish}). The same version again is ignored by every instance; it only makes
     * sure the compacted topic's last record for the key is a good model.
     */
    private void republishDamagedModels() {
        for (String modelId : registry.republishRequests()) {
            ModelRegistry.Entry current = registry.get(modelId);
            if (current != null && registry.claimRepublish(modelId)) {
                LOG.warn("an unusable record follows model '{}' version {} on the models topic; publishing version {} "
                        + "again so that compaction keeps a good model", modelId, current.version(), current.version());
                context.forward(new Record<>(modelId, ModelCodec.writeCompact(ModelCodec.toDocument(current.prototype())),
                        context.currentSystemTimeMs()), StreamcastTopology.MODELS_SINK);
            }
        }
    }

    /** Publishes the winners of finished retrainings and records every decision. */
    private void publishFinished() {
        ChallengerTrainer.Outcome outcome;
        while ((outcome = finished.poll()) != null) {
            training.remove(outcome.modelId());
            registry.recordRun(outcome);
            LOG.info("retraining of model '{}' {} ({} ms)", outcome.modelId(), outcome.reason(), outcome.durationMs());
            if (outcome.accepted()) {
                byte[] doc = ModelCodec.writeCompact(ModelCodec.toDocument(outcome.model()));
                if (doc.length > Topics.MAX_MODEL_BYTES) {
                    // Sending it would fail the stream thread (the producer refuses it) and lose the transaction.
                    LOG.error("model '{}' version {} not published: its document is {} bytes, over the models topic's "
                            + "limit of {} bytes; use a smaller architecture", outcome.modelId(),
                            outcome.model().version(), doc.length, Topics.MAX_MODEL_BYTES);
                    continue;
                }
                context.forward(new Record<>(outcome.modelId(), doc, context.currentSystemTimeMs()),
                        StreamcastTopology.MODELS_SINK);
                published.put(outcome.modelId(), outcome.model().version());
            }
        }
    }
}
