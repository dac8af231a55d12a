package dev.streamcast.service;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.Topics;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A model published by hand to the models topic of a running deployment ({@code streamcast models publish},
 * {@code POST /api/models/{id}}): it becomes the newest version of its id (the newest on the topic + 1) without the
 * retraining gate, and its document says so ({@code training.decision} {@value #DECISION}, {@code parentVersion} the
 * version it follows). Every instance then serves it as a champion the trainer published, and retraining continues
 * from its weights.
 *
 * <p>Two refusals: a document that is not a usable trained model ({@link ModelFormatException}), and one that is
 * but does not fit this deployment ({@link Mismatch}): an id the deployment does not serve, an input the stream cannot
 * feed (several features per step without {@code features}, several outputs), a window length other than
 * window.length, features other than model.features.
 */
public final class ModelPublication {

    /** The training decision of a model published by hand. */
    public static final String DECISION = "published";

    /** The model is valid but does not fit the deployment (HTTP 409). */
    public static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What was published: the id, the new version and the version it follows (0: none). */
    public record Published(String modelId, long version, long parentVersion) {
    }

    private ModelPublication() {
    }

    /**
     * Checks a document against the deployment without publishing it.
     *
     * @throws ModelFormatException when it is not a usable trained model
     * @throws Mismatch when it does not fit the deployment
     */
    public static void check(ModelDocument doc, String modelId, ForecastSettings settings) {
        if (!ModelCodec.hasWeights(doc)) {
            throw new ModelFormatException("layers: no weights; an architecture has nothing to forecast with (train it "
                    + "first)");
        }
        ModelCodec.toPredictor(doc);
        if (!settings.perSensor() && !modelId.equals(settings.modelId())) {
            throw new Mismatch("model id '" + modelId + "': this deployment serves model '" + settings.modelId()
                    + "' (model.id, model.scope global)", null);
        }
        Forecaster forecaster;
        try {
            forecaster = ModelCodec.toForecaster(doc, 0);
        } catch (ModelFormatException e) {
            throw new Mismatch("the stream cannot feed this model: " + e.getMessage(), e);
        }
        if (forecaster.windowLength() != settings.windowLength()) {
            throw new Mismatch("window length " + forecaster.windowLength() + " differs from the deployment's "
                    + "window.length " + settings.windowLength(), null);
        }
        if (!forecaster.features().equals(settings.features())) {
            throw new Mismatch("features " + forecaster.features() + " differ from the deployment's model.features "
                    + settings.features(), null);
        }
    }

    /**
     * The models topic must be there: a deployment that runs has made it (compacted), and a producer would otherwise
     * have the broker create it with its defaults.
     */
    private static void requireTopic(Properties kafka, String topic) {
        try (Admin admin = Admin.create(kafka)) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new Mismatch("no models topic '" + topic + "' on this Kafka: is the deployment running, with "
                        + "these topics.* settings?", e.getCause());
            }
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("no answer from Kafka in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while looking for the models topic", e);
        }
    }

    /**
     * The document as it is published: {@code modelId}, version {@code newest + 1}, created now, and its training
     * decision {@value #DECISION} after {@code newest} (the samples, epochs and validation RMSE it brought are kept).
     */
    static ModelDocument asNextVersion(ModelDocument doc, String modelId, long newest) {
        ModelDocument.TrainingInfo brought = doc.training();
        ModelDocument.TrainingInfo training = new ModelDocument.TrainingInfo(
                brought == null ? null : brought.samples(), brought == null ? null : brought.epochs(),
                brought == null ? null : brought.validationRmse(), null, null, newest > 0 ? newest : null, DECISION,
                null);
        return new ModelDocument(doc.format(), modelId, newest + 1, Instant.now().toString(), doc.windowLength(),
                doc.features(), doc.scaling(), doc.layers(), training, doc.imported());
    }

    /**
     * Checks the document ({@link #check}) and publishes it as the next version of {@code modelId}, waiting for the
     * broker's acknowledgement (acks=all).
     *
     * @param kafka the deployment's Kafka client properties (the kafka.* keys)
     * @throws KafkaException when Kafka cannot be reached or refuses the record
     */
    public static Published publish(Properties kafka, ForecastSettings settings, String modelId, ModelDocument doc) {
        check(doc, modelId, settings);
        String topic = settings.topics().models();
        requireTopic(kafka, topic);
        long newest = ModelTopicReader.latestVersion(kafka, topic, modelId);
        ModelDocument published = asNextVersion(doc, modelId, newest);
        byte[] bytes = ModelCodec.writeCompact(published);
        if (bytes.length > Topics.MAX_MODEL_BYTES) {
            throw new ModelFormatException("the document is " + bytes.length + " bytes, over the models topic's limit "
                    + "of " + Topics.MAX_MODEL_BYTES + " bytes");
        }
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                StreamsProperties.atLeastModelRecord(props.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, modelId, bytes)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("the broker did not acknowledge the model in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while publishing the model", e);
        }
        return new Published(modelId, newest + 1, newest);
    }
}
