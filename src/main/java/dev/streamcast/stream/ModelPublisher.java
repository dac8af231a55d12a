package dev.streamcast.stream;

import dev.streamcast.config.Topics;
import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes models to the models topic from the trainer task: the winners of retrainings, and the current version
 * again after an unusable record under its key. Remembers what it published, so the next challenger starts from
 * (and is numbered after) the newest version even before the global store has read it back.
 */
final class ModelPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPublisher.class);

    private final ModelRegistry registry;
    private final ProcessorContext<String, byte[]> context;
    // The model this task last published per model id.
    private final Map<String, Forecaster> published = new HashMap<>();

    ModelPublisher(ModelRegistry registry, ProcessorContext<String, byte[]> context) {
        this.registry = registry;
        this.context = context;
    }

    /** The newest version of a model: the registry's, or the one published here that it does not serve yet. */
    Forecaster champion(String modelId) {
        ModelRegistry.Entry serving = registry.get(modelId);
        Forecaster mine = published.get(modelId);
        if (mine != null && (serving == null || serving.version() < mine.version())) {
            return mine;
        }
        return serving == null ? null : serving.prototype();
    }

    /** Publishes an accepted challenger (inside the stream's transaction under exactly-once). */
    void publish(ChallengerTrainer.Outcome outcome) {
        byte[] doc = ModelCodec.encode(outcome.model());
        if (doc.length > Topics.MAX_MODEL_BYTES) {
            // Sending it would fail the stream thread (the producer refuses it) and lose the transaction.
            LOG.error("model '{}' version {} not published: its document is {} bytes, over the models topic's "
                    + "limit of {} bytes; use a smaller architecture", outcome.modelId(),
                    outcome.model().version(), doc.length, Topics.MAX_MODEL_BYTES);
            return;
        }
        context.forward(new Record<>(outcome.modelId(), doc, context.currentSystemTimeMs()),
                StreamNames.MODELS_SINK);
        published.put(outcome.modelId(), outcome.model());
        // Under exactly-once the model is visible once committed: now, not at the end of the commit interval.
        context.commit();
    }

    /**
     * Writes the current version of a model again after an unusable record under its key (see
     * {@link ModelRegistry#requestRepublish}). The same version again is ignored by every instance; it only makes
     * sure the compacted topic's last record for the key is a good model.
     */
    void republishDamaged() {
        for (String modelId : registry.republishRequests()) {
            ModelRegistry.Entry current = registry.get(modelId);
            if (current != null && registry.claimRepublish(modelId)) {
                LOG.warn("an unusable record follows model '{}' version {} on the models topic; publishing version {} "
                        + "again so that compaction keeps a good model", modelId, current.version(), current.version());
                context.forward(new Record<>(modelId, ModelCodec.encode(current.prototype()),
                        context.currentSystemTimeMs()), StreamNames.MODELS_SINK);
                context.commit();
            }
        }
    }
}
