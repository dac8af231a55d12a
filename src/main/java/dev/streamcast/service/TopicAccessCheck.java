package dev.streamcast.service;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Checks, before the stream starts, that the principal may do on each of Streamcast's topics what the topologies
 * will do there: READ every topic a topology reads (its sources, the models' global store), WRITE every topic it
 * writes (its sinks, the dead-letter topic). The list comes from the topologies the service runs, so a topic added
 * to them is checked without anyone remembering to add it here (the anomalies topic once was not, and a principal
 * without WRITE on it started fine and failed minutes later). Kafka tells a client the operations it is authorized
 * for on a topic it describes; a missing one becomes a line naming the topic and the operation, instead of a stream
 * thread dying on its first send and being replaced forever. Kafka Streams' internal topics (changelogs, the
 * repartition topic of the mapped input formats) are not
 * checked here: they may not exist yet, and a refusal on them stops the service through its uncaught-exception
 * handler with a line of the same kind.
 */
final class TopicAccessCheck {

    /** How a DSL topology's description names a repartition topic Kafka Streams creates and owns. */
    static final String INTERNAL_REPARTITION_SUFFIX = "-repartition";

    private TopicAccessCheck() {
    }

    /**
     * Which operations each topic needs, in the order they are checked: what {@code topologies} read and write, and
     * WRITE on {@code deadLetterTopic} (Kafka Streams' processing exception handler writes there too).
     */
    static Map<String, Set<AclOperation>> needed(String deadLetterTopic, Topology... topologies) {
        Map<String, Set<AclOperation>> needed = new LinkedHashMap<>();
        for (Topology topology : topologies) {
            TopologyDescription description = topology.describe();
            for (TopologyDescription.Subtopology sub : description.subtopologies()) {
                for (TopologyDescription.Node node : sub.nodes()) {
                    if (node instanceof TopologyDescription.Source source) {
                        source.topicSet().forEach(t -> add(needed, t, AclOperation.READ));
                    } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                        add(needed, sink.topic(), AclOperation.WRITE);
                    }
                }
            }
            for (TopologyDescription.GlobalStore global : description.globalStores()) {
                global.source().topicSet().forEach(t -> add(needed, t, AclOperation.READ));
            }
        }
        add(needed, deadLetterTopic, AclOperation.WRITE);
        return needed;
    }

    private static void add(Map<String, Set<AclOperation>> needed, String topic, AclOperation operation) {
        // Kafka Streams' own repartition topics (the mapped input formats' by-sensor topic) appear in a topology's
        // description as "<name>-repartition" and exist only once the stream has started: internal, as changelogs.
        if (topic.endsWith(INTERNAL_REPARTITION_SUFFIX)) {
            return;
        }
        needed.computeIfAbsent(topic, t -> EnumSet.noneOf(AclOperation.class)).add(operation);
    }

    /**
     * Describes the topics, waiting out the moment after their creation when a broker of a cluster does not know
     * them yet (its metadata follows the controller's a little later).
     */
    private static Map<String, TopicDescription> describe(Admin admin, Set<String> names)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(names, new DescribeTopicsOptions().includeAuthorizedOperations(true))
                        .allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * @throws KafkaAccessException naming the first topic and operation the principal is not authorized for
     */
    static void check(Admin admin, String bootstrap, String deadLetterTopic, Topology... topologies) {
        Map<String, Set<AclOperation>> needed = needed(deadLetterTopic, topologies);
        Map<String, TopicDescription> described;
        try {
            described = describe(admin, needed.keySet());
        } catch (ExecutionException e) {
            RuntimeException denial = KafkaAccessException.accessDenial(e.getCause());
            if (denial != null) {
                throw KafkaAccessException.of("cannot DESCRIBE Streamcast's topics " + needed.keySet(), bootstrap,
                        denial);
            }
            throw new IllegalStateException("cannot describe Streamcast's topics: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot describe Streamcast's topics: Kafka did not answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing Streamcast's topics", e);
        }
        for (Map.Entry<String, Set<AclOperation>> topic : needed.entrySet()) {
            Set<AclOperation> allowed = described.get(topic.getKey()).authorizedOperations();
            if (allowed == null) {
                // No authorizer on the broker (or it does not say): everything authenticated is allowed.
                continue;
            }
            for (AclOperation operation : topic.getValue()) {
                if (!allowed.contains(operation) && !allowed.contains(AclOperation.ALL)) {
                    throw new KafkaAccessException("Kafka at " + bootstrap + " does not authorize " + operation
                            + " on topic '" + topic.getKey() + "' for this principal; grant it the " + operation
                            + " ACL on the topic (it may " + allowed + ")", null);
                }
            }
        }
    }
}
