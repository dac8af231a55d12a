package dev.streamcast.bench.e2e;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells when an application has drained a topic: when its committed offsets reach the topic's end offsets.
 *
 * <p>Why committed offsets rather than counting output records: they mean the same for both topologies (the
 * forecasting one writes no forecast for a sensor's first readings, but writes accuracy, samples and the DLQ
 * too), and they are correct under both guarantees. Under at_least_once Kafka Streams commits an offset only after
 * flushing the output of the records before it. Under exactly_once_v2 the offsets are committed inside the
 * transaction that wrote the output, and the group coordinator returns them only once that transaction committed,
 * so committed offsets at the end mean every output is visible to read_committed consumers. The input is written
 * by a plain (non-transactional) producer, so its end offset is exactly one past its last reading and the
 * committed offset reaches it exactly. The figure is late by at most one commit interval (commit.interval.ms,
 * 100 ms by default) plus one poll interval; on a drain of several seconds that is a few percent, and it is
 * the same for both topologies.
 */
final class Drain {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final long REQUEST_TIMEOUT_S = 30;

    private Drain() {
    }

    /** The end offset of every partition of {@code topic}. */
    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) {
        try {
            int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames()
                    .get(REQUEST_TIMEOUT_S, TimeUnit.SECONDS).get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(REQUEST_TIMEOUT_S, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": no answer within "
                    + REQUEST_TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end offsets of " + topic, e);
        }
    }

    /** The offsets {@code groupId} has committed on the partitions of {@code ends} (0 where none). */
    static Map<TopicPartition, Long> committed(Admin admin, String groupId, Map<TopicPartition, Long> ends) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(REQUEST_TIMEOUT_S, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            for (TopicPartition tp : ends.keySet()) {
                OffsetAndMetadata o = offsets.get(tp);
                out.put(tp, o == null ? 0L : o.offset());
            }
            return out;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the committed offsets of " + groupId + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot read the committed offsets of " + groupId + ": no answer within "
                    + REQUEST_TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the committed offsets of " + groupId, e);
        }
    }

    /**
     * Waits until {@code groupId} has committed the end offset of every partition in {@code ends}, less
     * {@code slack}.
     *
     * @param slack    0 for a topic written by a plain producer. 1 for a topic the application itself writes under
     *                 exactly_once_v2: there the last offset of each partition is a transaction marker, which the
     *                 committed offset passes only if a later commit happens to follow (so it may never); every
     *                 data record is consumed once the committed offset reaches end - 1.
     * @param alive    called on every poll; throws if the application stopped (so a failed run ends at once)
     * @return the {@link System#nanoTime()} at which the drain was observed complete
     * @throws IllegalStateException if the drain does not complete within {@code timeout}
     */
    static long await(Admin admin, String groupId, Map<TopicPartition, Long> ends, long slack, Duration timeout,
                      Runnable alive)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            alive.run();
            Map<TopicPartition, Long> committed = committed(admin, groupId, ends);
            long now = System.nanoTime();
            if (ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) >= e.getValue() - slack)) {
                return now;
            }
            if (now > deadline) {
                long done = committed.values().stream().mapToLong(Long::longValue).sum();
                long total = ends.values().stream().mapToLong(Long::longValue).sum();
                throw new IllegalStateException(groupId + " did not drain its input within " + timeout + ": "
                        + done + " of " + total + " records committed");
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
