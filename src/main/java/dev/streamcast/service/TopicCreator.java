package dev.streamcast.service;

import dev.streamcast.config.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Streamcast's topics when absent: topics.partitions each, topics.replication-factor replicas and, when
 * set, topics.min-insync-replicas; the models topic compacted.
 */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private TopicCreator() {
    }

    /**
     * @param bootstrap         where Kafka is, for the message when it refuses the credentials or an ACL
     * @param minInsyncReplicas the topics' min.insync.replicas; null for the broker's default
     * @throws KafkaAccessException when Kafka refuses the credentials or the CREATE or DESCRIBE ACL
     */
    public static void createMissing(Admin admin, String bootstrap, Topics topics, int partitions,
                                     short replicationFactor, Integer minInsyncReplicas) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String name : topics.all()) {
                if (existing.contains(name)) {
                    continue;
                }
                NewTopic topic = new NewTopic(name, partitions, replicationFactor);
                Map<String, String> configs = new HashMap<>();
                if (name.equals(topics.models())) {
                    // Compacted: the newest version of each model id is kept forever. A model document of a large
                    // architecture can pass Kafka's default 1 MB record limit.
                    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Topics.MAX_MODEL_RECORD_BYTES);
                }
                if (minInsyncReplicas != null) {
                    configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsyncReplicas.toString());
                }
                topic.configs(configs);
                missing.add(topic);
            }
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException e) {
            RuntimeException denial = KafkaAccessException.accessDenial(e.getCause());
            if (denial != null) {
                throw KafkaAccessException.of("cannot create Streamcast's topics", bootstrap, denial);
            }
            throw new IllegalStateException("cannot create Streamcast's topics: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create Streamcast's topics: Kafka did not answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Streamcast's topics", e);
        }
    }
}
