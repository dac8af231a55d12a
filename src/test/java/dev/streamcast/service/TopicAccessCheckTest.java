package dev.streamcast.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.stream.StreamMetrics;
import dev.streamcast.stream.StreamcastTopology;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pre-flight ACL check asks for what the service's topologies really do on each topic: every topic of
 * {@link Topics#all()} appears with the operations the topologies perform there, the anomalies topic included.
 */
@Tag("unit")
class TopicAccessCheckTest {

    private static Map<String, Set<AclOperation>> neededFor(StreamcastConfig config) {
        ForecastSettings settings = ForecastSettings.from(config);
        ModelRegistry registry = new ModelRegistry();
        StreamMetrics metrics = new StreamMetrics();
        Topology forecasting = StreamcastTopology.forecasting(settings, registry, metrics);
        Topology training = StreamcastTopology.training(settings, registry, metrics, Runnable::run);
        return TopicAccessCheck.needed(settings.topics().dlq(), forecasting, training);
    }

    @Test
    void everyTopicTheServiceReadsOrWritesIsCheckedForWhatItDoesThere() {
        Map<String, Set<AclOperation>> expected = new LinkedHashMap<>();
        expected.put("sensor-readings", EnumSet.of(AclOperation.READ));
        expected.put("sensor-forecasts", EnumSet.of(AclOperation.WRITE));
        expected.put("streamcast-accuracy", EnumSet.of(AclOperation.WRITE));
        expected.put("streamcast-training-samples", EnumSet.of(AclOperation.READ, AclOperation.WRITE));
        expected.put("streamcast-dlq", EnumSet.of(AclOperation.WRITE));
        expected.put("streamcast-anomalies", EnumSet.of(AclOperation.WRITE));
        expected.put("streamcast-models", EnumSet.of(AclOperation.READ, AclOperation.WRITE));

        Map<String, Set<AclOperation>> needed = neededFor(StreamcastConfig.defaults());

        assertEquals(expected, needed);
        assertEquals(Set.copyOf(Topics.from(StreamcastConfig.defaults()).all()), needed.keySet());
    }

    @Test
    void withoutAnAnomaliesTopicThatTopicIsNotAskedFor() {
        Map<String, Set<AclOperation>> needed = neededFor(StreamcastConfig.of(Map.of("topics.anomalies", "")));

        assertEquals(Set.copyOf(Topics.from(StreamcastConfig.of(Map.of("topics.anomalies", ""))).all()),
                needed.keySet());
    }

    @Test
    void aMappedFormatAsksForTheSameTopicsNotForKafkaStreamsOwnRepartitionTopic() {
        StreamcastConfig json = StreamcastConfig.of(Map.of("input.format", "json", "input.json.values", "/t"));
        Map<String, Set<AclOperation>> needed = neededFor(json);

        // The repartition topic exists only once the stream runs: describing it before failed every mapped start.
        assertEquals(Set.copyOf(Topics.from(json).all()), needed.keySet());
    }
}
