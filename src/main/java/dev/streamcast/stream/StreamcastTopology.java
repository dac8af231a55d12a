package dev.streamcast.stream;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.Topics;
import java.util.concurrent.Executor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds Streamcast's topology. These functions are what the service runs and what every test drives.
 *
 * <pre>
 *  forecasting (the service's main Kafka Streams client):
 *  readings --> reading-processor --+--> forecasts
 *                 [sensor-state]    +--> accuracy
 *                                   +--> training-samples (a binary batch per commit interval: SampleBatch)
 *                                   +--> dlq
 *  models --> models-processor [models, global]  (feeds the ModelRegistry every instance forecasts with)
 *
 *  with a mapped input format (input.format json, influx or csv), the readings are mapped and re-keyed first:
 *  readings --> input-mapper --+--> dlq (a record that cannot be mapped, once, original bytes)
 *                              +--> readings-by-sensor (repartition by sensor id) --> reading-processor --> ...
 *
 *  training (a Kafka Streams client of its own, application id + "-trainer"):
 *  training-samples --> trainer --> models
 *                  [training-buffer]
 * </pre>
 *
 * <p>Why the trainer runs in a client of its own: a Kafka consumer hands out what it fetched partition by
 * partition, in the order it arrived, with the same byte budget per partition. Sharing the readings' consumer,
 * the one samples partition that every readings partition feeds waited behind a megabyte of readings per readings
 * partition under a backlog, and the first model came after tens of thousands of naive forecasts. With a consumer
 * of its own, the trainer reads each batch as soon as it is committed. {@link #build} puts both in one topology, for
 * TopologyTestDriver and the backtest; the service runs {@link #forecasting} and {@link #training}.
 */
public final class StreamcastTopology {

    private StreamcastTopology() {
    }

    /**
     * Forecasting and training in one topology: what a TopologyTestDriver (tests, the backtest) runs, where one
     * driver must hold both.
     *
     * @param registry          where the global processor installs models and the stream threads read them
     * @param metrics           counters the processors update
     * @param trainingExecutor  runs retraining off the stream threads
     */
    public static Topology build(ForecastSettings settings, ModelRegistry registry, StreamMetrics metrics,
                                 Executor trainingExecutor) {
        Topology topology = forecasting(settings, registry, metrics);
        addTraining(topology, settings, registry, metrics, trainingExecutor);
        return topology;
    }

    /** The readings path and the models' global store: the service's main client. */
    public static Topology forecasting(ForecastSettings settings, ModelRegistry registry, StreamMetrics metrics) {
        Topology topology;
        if (settings.input().isMapped()) {
            topology = mappedReadings(settings, registry, metrics);
        } else {
            topology = new Topology();
            addReadings(topology, settings, registry, metrics);
        }
        addModels(topology, settings, registry);
        return topology;
    }

    /** The trainer: the service's training client. It forecasts with the registry the forecasting client fills. */
    public static Topology training(ForecastSettings settings, ModelRegistry registry, StreamMetrics metrics,
                                    Executor trainingExecutor) {
        Topology topology = new Topology();
        addTraining(topology, settings, registry, metrics, trainingExecutor);
        return topology;
    }

    /** The auto format: the readings topic, keyed by sensor id, straight into the per-sensor processor. */
    private static void addReadings(Topology topology, ForecastSettings settings, ModelRegistry registry,
                                    StreamMetrics metrics) {
        Topics topics = settings.topics();
        topology.addSource("readings-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                topics.readings());
        // A reading the processor fails on forwards nothing: it goes to the dead-letter topic alone
        // (InternalErrorHandler).
        topology.addProcessor("reading-processor",
                () -> new OutputsOnSuccess<>(new ReadingProcessor(settings, registry, metrics)), "readings-source");
        topology.addStateStore(SensorStateStore.builder(), "reading-processor");
        ByteArraySerializer bytes = new ByteArraySerializer();
        topology.addSink(StreamNames.FORECASTS_SINK, topics.forecasts(), bytes, bytes, "reading-processor");
        topology.addSink(StreamNames.ACCURACY_SINK, topics.accuracy(), bytes, bytes, "reading-processor");
        topology.addSink(StreamNames.SAMPLES_SINK, topics.samples(), bytes, bytes, "reading-processor");
        topology.addSink(StreamNames.DLQ_SINK, topics.dlq(), bytes, bytes, "reading-processor");
        if (topics.hasAnomalies()) {
            topology.addSink(StreamNames.ANOMALIES_SINK, topics.anomalies(), bytes, bytes, "reading-processor");
        }
    }

    /**
     * A mapped format (json, influx, csv): each record is mapped to readings keyed by their sensor id, which the
     * repartition topic brings to the task that holds the sensor (so its state lives in one place and the API finds
     * it by the id); then the same per-sensor processor and sinks as the auto format. Built with the DSL, the one
     * way to have Kafka Streams create, size (as the readings topic) and purge a repartition topic.
     */
    private static Topology mappedReadings(ForecastSettings settings, ModelRegistry registry, StreamMetrics metrics) {
        Topics topics = settings.topics();
        Serde<byte[]> bytes = Serdes.ByteArray();
        StreamsBuilder builder = new StreamsBuilder();
        KStream<byte[], byte[]> mapped = builder.stream(topics.readings(),
                        Consumed.with(bytes, bytes).withName("readings-source"))
                .process(() -> new InputMappingProcessor(settings, metrics), Named.as("input-mapper"));
        mapped.to(topics.dlq(), Produced.with(bytes, bytes).withName(StreamNames.MAPPING_DLQ_SINK));
        builder.addStateStore(SensorStateStore.builder());
        // The mapper sends readings and dead letters to children by name: this pass-through names the readings'.
        KStream<byte[], byte[]> out = mapped.filter((sensorId, reading) -> true, Named.as(StreamNames.MAPPED_READINGS))
                .repartition(Repartitioned.with(bytes, bytes).withName(StreamNames.BY_SENSOR_REPARTITION))
                .process(() -> new OutputsOnSuccess<>(new ReadingProcessor(settings, registry, metrics)),
                        Named.as("reading-processor"), StreamNames.SENSOR_STORE);
        out.to(topics.forecasts(), Produced.with(bytes, bytes).withName(StreamNames.FORECASTS_SINK));
        out.to(topics.accuracy(), Produced.with(bytes, bytes).withName(StreamNames.ACCURACY_SINK));
        out.to(topics.samples(), Produced.with(bytes, bytes).withName(StreamNames.SAMPLES_SINK));
        out.to(topics.dlq(), Produced.with(bytes, bytes).withName(StreamNames.DLQ_SINK));
        if (topics.hasAnomalies()) {
            out.to(topics.anomalies(), Produced.with(bytes, bytes).withName(StreamNames.ANOMALIES_SINK));
        }
        return builder.build();
    }

    /** The models' global store, on every instance. */
    private static void addModels(Topology topology, ForecastSettings settings, ModelRegistry registry) {
        Topics topics = settings.topics();
        // The models topic is the global store's changelog: no second one. The processor also runs on restore.
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StreamNames.MODELS_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "models-source", new StringDeserializer(), new ByteArrayDeserializer(), topics.models(),
                "models-processor", () -> new ModelUpdateProcessor(StreamNames.MODELS_STORE, settings.windowLength(),
                        registry));
    }

    private static void addTraining(Topology topology, ForecastSettings settings, ModelRegistry registry,
                                    StreamMetrics metrics, Executor trainingExecutor) {
        Topics topics = settings.topics();
        topology.addSource("samples-source", new StringDeserializer(), new ByteArrayDeserializer(), topics.samples());
        topology.addProcessor("trainer", () -> new TrainerProcessor(settings, registry, metrics, trainingExecutor),
                "samples-source");
        // Cached for the same reason: the buffer's bookkeeping and head chunk are rewritten with every batch.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StreamNames.BUFFER_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "trainer");
        topology.addSink(StreamNames.MODELS_SINK, topics.models(), new StringSerializer(), new ByteArraySerializer(),
                "trainer");
    }
}
