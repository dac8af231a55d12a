package dev.streamcast.stream;

import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global store's processor: every record of the models topic, on every instance (also while restoring after a
 * restart). A valid model newer than the current version of its id goes into the store and the
 * {@link ModelRegistry}; anything else is skipped with a log line.
 *
 * <p>It never throws: an exception here would stop the global thread, and with it the whole client.
 */
final class ModelUpdateProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelUpdateProcessor.class);

    private final String storeName;
    private final int windowLength;
    private final ModelRegistry registry;
    private KeyValueStore<String, byte[]> store;

    ModelUpdateProcessor(String storeName, int windowLength, ModelRegistry registry) {
        this.storeName = storeName;
        this.windowLength = windowLength;
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        boolean usable;
        try {
            usable = install(record.key(), record.value());
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("skipping a record of the models topic with key '{}': {}", abbreviate(record.key()), e.toString());
            usable = false;
        }
        String key = record.key();
        if (key != null) {
            if (usable) {
                registry.cancelRepublish(key);
            } else if (registry.get(key) != null) {
                // The compacted topic keeps only the last record of a key: put the good model back after this one.
                registry.requestRepublish(key);
            }
        }
    }

    /** Installs the model if it is valid and newer; true when the record is a usable model (new or current). */
    private boolean install(String key, byte[] value) {
        if (key == null || value == null) {
            LOG.warn("skipping a record of the models topic without {}", key == null ? "a key" : "a value");
            return false;
        }
        ModelDocument doc = ModelCodec.parse(value);
        if (!ModelCodec.hasWeights(doc)) {
            LOG.warn("skipping model '{}' on the models topic: it has no weights", abbreviate(key));
            return false;
        }
        Forecaster forecaster = ModelCodec.toForecaster(doc, 0);
        if (!key.equals(forecaster.modelId())) {
            LOG.warn("skipping a model on the models topic: its key '{}' differs from its modelId '{}'",
                    abbreviate(key), abbreviate(forecaster.modelId()));
            return false;
        }
        if (forecaster.windowLength() != windowLength) {
            LOG.warn("skipping model '{}' version {}: its window length {} differs from window.length {}", key,
                    forecaster.version(), forecaster.windowLength(), windowLength);
            return false;
        }
        ModelRegistry.Entry entry = new ModelRegistry.Entry(key, forecaster.version(), forecaster,
                forecaster.createdAt());
        if (registry.offer(entry)) {
            store.put(key, value);
            LOG.info("model '{}' version {} is now in use", key, forecaster.version());
            return true;
        }
        ModelRegistry.Entry current = registry.get(key);
        boolean isCurrent = current != null && current.version() == forecaster.version();
        if (!isCurrent) {
            LOG.info("ignoring model '{}' version {}: version {} is current", key, forecaster.version(),
                    current == null ? 0 : current.version());
        } else if (store.get(key) == null) {
            // The registry outlives a restart of the client in the same process; the store does not.
            store.put(key, value);
        }
        return isCurrent;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
