package dev.streamcast.stream;

import java.util.concurrent.Executor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds Streamcast's topology. This one function is what the service runs and what every test drives.
 *
 * <pre>
 *  readings --> reading-processor --+--> forecasts
 *                 [sensor-state]    +--> accuracy
 *                                   +--> training-samples --> trainer --> models
 *                                   |    (a binary batch per     [training-buffer]
 *                                   |     commit interval: SampleBatch)
 *                                   +--> dlq
 *  models --> models-processor [models, global]  (feeds the ModelRegistry every instance forecasts with)
 * </pre>
 */
public final class StreamcastTopology {

    public static final String SENSOR_STORE = "sensor-state";
    public static final String BUFFER_STORE = "training-buffer";
    public static final String MODELS_STORE = "models";

    static final String FORECASTS_SINK = "forecasts-sink";
    static final String ACCURACY_SINK = "accuracy-sink";
    static final String SAMPLES_SINK = "samples-sink";
    static final String DLQ_SINK = "dlq-sink";
    static final String MODELS_SINK = "models-sink";

    private StreamcastTopology() {
    }

    /**
     * @param registry          where the global processor installs models and the stream threads read them
     * @param metrics           counters the processors update
     * @param trainingExecutor  runs retraining off the stream threads
     */
    public static Topology build(ForecastSettings settings, ModelRegistry registry, StreamMetrics metrics,
                                 Executor trainingExecutor) {
        Topics topics = settings.topics();
        Topology topology = new Topology();

        topology.addSource("readings-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.readings());
        topology.addProcessor("reading-processor", () -> new ReadingProcessor(settings, registry, metrics),
                "readings-source");
        // Cached: a sensor's state is read and rewritten on every reading; the cache absorbs the repeated writes
        // of a commit interval, so RocksDB and the changelog see one write per sensor per commit, not per reading.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SENSOR_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "reading-processor");
        ByteArraySerializer bytes = new ByteArraySerializer();
        topology.addSink(FORECASTS_SINK, topics.forecasts(), bytes, bytes, "reading-processor");
        topology.addSink(ACCURACY_SINK, topics.accuracy(), bytes, bytes, "reading-processor");
        topology.addSink(SAMPLES_SINK, topics.samples(), bytes, bytes, "reading-processor");
        topology.addSink(DLQ_SINK, topics.dlq(), bytes, bytes, "reading-processor");

        topology.addSource("samples-source", new StringDeserializer(), new ByteArrayDeserializer(), topics.samples());
        topology.addProcessor("trainer", () -> new TrainerProcessor(settings, registry, metrics, trainingExecutor),
                "samples-source");
        // Cached for the same reason: the buffer's bookkeeping and head chunk are rewritten with every batch.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BUFFER_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "trainer");
        topology.addSink(MODELS_SINK, topics.models(), new StringSerializer(), bytes, "trainer");

        // The models topic is the global store's changelog: no second one. The processor also runs on restore.
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODELS_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "models-source", new StringDeserializer(), new ByteArrayDeserializer(), topics.models(),
                "models-processor", () -> new ModelUpdateProcessor(MODELS_STORE, settings.windowLength(), registry));
        return topology;
    }
}
