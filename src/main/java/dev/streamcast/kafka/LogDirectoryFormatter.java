package dev.streamcast.kafka;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        // meta.properties is written last by the formatter, so its presence means the format completed; a directory
        // left half-formatted by a crash lacks it and is formatted again.
        if (Files.exists(directory.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            LOG.debug("Kafka log directory {} is already formatted", directory);
            return false;
        }
        Files.createDirectories(directory);
        String dir = directory.toAbsolutePath().toString();
        String clusterId = Uuid.randomUuid().toString();
        // The formatter reports progress on a PrintStream (System.out by default); capture it for the log instead.
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (PrintStream reportStream = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            new Formatter()
                .setPrintStream(reportStream)
                .setNodeId(BrokerProperties.NODE_ID)
                .setClusterId(clusterId)
                .addDirectory(dir)
                .setMetadataLogDirectory(dir)
                .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
                .run();
        }
        LOG.debug("Kafka storage formatter said: {}", report.toString(StandardCharsets.UTF_8).strip());
        LOG.info("Formatted Kafka log directory {} for new cluster {}", directory, clusterId);
        return true;
    }
}
