package dev.streamcast.bench.e2e;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.Node;

/**
 * The bytes topics take in the brokers' log directories, as the brokers report them (DescribeLogDirs): the
 * records as written, so compressed batches count at their compressed size, with their batch headers and
 * transaction markers.
 */
final class LogSizes {

    private static final long REQUEST_TIMEOUT_S = 30;

    private LogSizes() {
    }

    /** By topic of {@code topics}: the size of its partitions' logs on every broker (0 for a topic with none). */
    static Map<String, Long> bytesOnDisk(Admin admin, Collection<String> topics) {
        try {
            List<Integer> brokers = admin.describeCluster().nodes().get(REQUEST_TIMEOUT_S, TimeUnit.SECONDS).stream()
                    .map(Node::id).toList();
            Map<String, Long> bytes = new TreeMap<>();
            topics.forEach(t -> bytes.put(t, 0L));
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions()
                    .get(REQUEST_TIMEOUT_S, TimeUnit.SECONDS).values()) {
                for (LogDirDescription dir : dirs.values()) {
                    dir.replicaInfos().forEach((partition, replica) ->
                            bytes.computeIfPresent(partition.topic(), (t, sum) -> sum + replica.size()));
                }
            }
            return bytes;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the log sizes of " + topics + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot read the log sizes of " + topics + ": no answer within "
                    + REQUEST_TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the log sizes of " + topics, e);
        }
    }
}
