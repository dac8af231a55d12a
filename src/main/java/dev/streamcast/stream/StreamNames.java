package dev.streamcast.stream;

/**
 * The names the topology and its processors share: its state stores, the sinks a processor forwards to, and the
 * parts of internal topic names. Kept apart from {@link StreamcastTopology}, which builds the processors, so that a
 * processor names its sink without depending on the class that constructs it.
 */
public final class StreamNames {

    public static final String SENSOR_STORE = "sensor-state";
    public static final String BUFFER_STORE = "training-buffer";
    public static final String MODELS_STORE = "models";
    /** The training client's application id is the service's with this suffix. */
    public static final String TRAINER_APPLICATION_SUFFIX = "-trainer";

    public static final String FORECASTS_SINK = "forecasts-sink";
    public static final String ACCURACY_SINK = "accuracy-sink";
    public static final String SAMPLES_SINK = "samples-sink";
    public static final String DLQ_SINK = "dlq-sink";
    public static final String ANOMALIES_SINK = "anomalies-sink";
    public static final String MODELS_SINK = "models-sink";
    public static final String MAPPING_DLQ_SINK = "mapping-dlq-sink";
    /** The input mapper's child that takes the mapped readings to the repartition. */
    public static final String MAPPED_READINGS = "mapped-readings";
    /** The mapped readings' repartition topic is {@code <application id>-readings-by-sensor-repartition}. */
    public static final String BY_SENSOR_REPARTITION = "readings-by-sensor";

    private StreamNames() {
    }
}
