package dev.streamcast.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a KRaft log directory the first time it is used, as {@code kafka-storage.sh format} would, and leaves
 * an already formatted one alone so that its topics, records and cluster id survive restarts.
 */
final class LogDirectoryFormatter {

    private static final Logger LOG = LoggerFactory.getLogger(LogDirectoryFormatter.class);

    private LogDirectoryFormatter() {
    }

    /**
     * Formats {@code directory} unless it already holds a {@code meta.properties}.
     *
     * @return whether the directory was formatted now
     */
    static boolean formatIfNeeded(Path directory) throws Exception {
        return formatIfNeeded(directory, ControllerQuorum.singleNode(), null);
    }

    /**
     * Formats {@code directory} for this node of {@code quorum} unless it already holds a {@code meta.properties};
     * a directory formatted for another node or cluster is refused.
     *
     * @param security when set, its inter-broker SCRAM credential is written into the bootstrap metadata, as
     *                 {@code kafka-storage format --add-scram} does
     * @return whether the directory was formatted now
     * @throws IllegalStateException when the directory belongs to another node id or cluster id
     */
    static boolean formatIfNeeded(Path directory, ControllerQuorum quorum, BrokerSecurity security) throws Exception {
        // meta.properties is written last by the formatter, so its presence means the format completed; a directory
        // left half-formatted by a crash lacks it and is formatted again.
        Path meta = directory.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME);
        if (Files.exists(meta)) {
            checkIdentity(meta, quorum);
            LOG.debug("Kafka log directory {} is already formatted", directory);
            return false;
        }
        Files.createDirectories(directory);
        String dir = directory.toAbsolutePath().toString();
        String clusterId = quorum.clusterId() != null ? quorum.clusterId() : Uuid.randomUuid().toString();
        // The formatter reports progress on a PrintStream (System.out by default); capture it for the log instead.
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (PrintStream reportStream = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            Formatter formatter = new Formatter()
                .setPrintStream(reportStream)
                .setNodeId(quorum.nodeId())
                .setClusterId(clusterId)
                .addDirectory(dir)
                .setMetadataLogDirectory(dir)
                .setControllerListenerName(BrokerListeners.CONTROLLER_LISTENER);
            if (security != null) {
                formatter.setScramArguments(List.of(security.interBrokerScramArgument()));
            }
            formatter.run();
        }
        // The report never holds the credential's password (Kafka writes the salted hash, and says nothing of it).
        LOG.debug("Kafka storage formatter said: {}", report.toString(StandardCharsets.UTF_8).strip());
        LOG.info("Formatted Kafka log directory {} for node {} of cluster {}", directory, quorum.nodeId(), clusterId);
        return true;
    }

    /** A directory formatted for node 2 of cluster A must not start as node 1 or in cluster B. */
    private static void checkIdentity(Path meta, ControllerQuorum quorum) throws IOException {
        Properties written = new Properties();
        try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            written.load(reader);
        }
        String nodeId = written.getProperty("node.id");
        if (nodeId != null && !nodeId.equals(Integer.toString(quorum.nodeId()))) {
            throw new IllegalStateException("it was formatted for node " + nodeId + ", not node " + quorum.nodeId()
                + " (give each node a data directory of its own)");
        }
        String clusterId = written.getProperty("cluster.id");
        if (quorum.clusterId() != null && clusterId != null && !clusterId.equals(quorum.clusterId())) {
            throw new IllegalStateException("it belongs to cluster " + clusterId + ", not " + quorum.clusterId());
        }
    }
}
