package dev.streamcast.stream;

import java.util.LinkedHashMap;
import java.util.List;
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

/**
 * Checks, before the stream starts, that the principal may do on each of Streamcast's topics what the topology
 * will do there: read the readings, write the outputs, read and write the samples and models. Kafka tells a client
 * the operations it is authorized for on a topic it describes; a missing one becomes a line naming the topic and
 * the operation, instead of a stream thread dying on its first send and being replaced forever.
 */
final class TopicAccessCheck {

    private TopicAccessCheck() {
    }

    /** Which operations each topic needs, in the order they are checked. */
    static Map<String, List<AclOperation>> needed(Topics topics) {
        Map<String, List<AclOperation>> needed = new LinkedHashMap<>();
        needed.put(topics.readings(), List.of(AclOperation.READ));
        needed.put(topics.forecasts(), List.of(AclOperation.WRITE));
        needed.put(topics.accuracy(), List.of(AclOperation.WRITE));
        needed.put(topics.dlq(), List.of(AclOperation.WRITE));
        needed.put(topics.samples(), List.of(AclOperation.READ, AclOperation.WRITE));
        needed.put(topics.models(), List.of(AclOperation.READ, AclOperation.WRITE));
        return needed;
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
    static void check(Admin admin, Topics topics, String bootstrap) {
        Map<String, List<AclOperation>> needed = needed(topics);
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
        for (Map.Entry<String, List<AclOperation>> topic : needed.entrySet()) {
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
