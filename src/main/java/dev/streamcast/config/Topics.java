package dev.streamcast.config;

import java.util.List;

/**
 * The names of Streamcast's topics, from the {@code topics.*} keys. {@code anomalies} may be empty: anomalous
 * readings' accuracy records are then not copied to a topic of their own.
 */
public record Topics(String readings, String forecasts, String accuracy, String samples, String models, String dlq,
                     String anomalies) {

    /**
     * The largest model document Streamcast publishes (an LSTM of about 600 units). Kafka's default record limit,
     * 1 MB, is reached by an LSTM of about 110 units; the models topic and the producers are configured for this.
     */
    public static final int MAX_MODEL_BYTES = 15 * 1024 * 1024;

    /**
     * The models topic's max.message.bytes and the producers' max.request.size: a document at the limit plus room
     * for the record's framing.
     */
    public static final String MAX_MODEL_RECORD_BYTES = Integer.toString(MAX_MODEL_BYTES + 1024 * 1024);

    public static Topics from(StreamcastConfig config) {
        Topics topics = new Topics(config.get("topics.readings"), config.get("topics.forecasts"),
                config.get("topics.accuracy"), config.get("topics.samples"), config.get("topics.models"),
                config.get("topics.dlq"), config.get("topics.anomalies"));
        for (String name : topics.all()) {
            if (name.isEmpty() || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
                throw new ConfigException("topics.*: '" + name + "' is not a valid Kafka topic name");
            }
        }
        if (topics.all().stream().distinct().count() != topics.all().size()) {
            throw new ConfigException("topics.*: the topics need different names, got " + topics.all());
        }
        return topics;
    }

    /** Whether anomalous readings' accuracy records are copied to the anomalies topic. */
    public boolean hasAnomalies() {
        return !anomalies.isEmpty();
    }

    /** Every topic Streamcast uses (the anomalies topic only when configured). */
    public List<String> all() {
        return hasAnomalies() ? List.of(readings, forecasts, accuracy, samples, models, dlq, anomalies)
                : List.of(readings, forecasts, accuracy, samples, models, dlq);
    }
}
