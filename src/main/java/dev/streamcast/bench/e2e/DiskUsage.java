package dev.streamcast.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The disk space topics take in a broker's log directory as {@code du} counts it: every file of a partition's
 * folder (segments, their indexes, snapshots, segments a compaction left to delete) in the blocks the file system
 * allocated. That is what a deployment pays for in disk, and the figure issue 27's targets are stated in; the
 * broker's own count ({@link LogSizes}) is the records alone.
 */
final class DiskUsage {

    /** A partition's folder: the topic's name, a dash, the partition's number. */
    private static final Pattern PARTITION = Pattern.compile("(.+)-(\\d+)");
    /** A line of {@code du -s -k}: kilobytes, a tab, the path. */
    private static final Pattern LINE = Pattern.compile("(\\d+)\\s+(.+)");
    private static final long TIMEOUT_S = 60;

    private DiskUsage() {
    }

    /**
     * By topic of {@code topics}: the bytes du counts for its partitions' folders in {@code logDir} (0 for a topic
     * with none).
     *
     * @throws IllegalStateException if du cannot be run
     */
    static Map<String, Long> bytesByTopic(Path logDir, Collection<String> topics) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("du", "-s", "-k", "--"));
        try (Stream<Path> dirs = Files.list(logDir)) {
            dirs.filter(Files::isDirectory).filter(d -> topicOf(d) != null && topics.contains(topicOf(d)))
                    .forEach(d -> command.add(d.toString()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the broker's log directory " + logDir + ": " + e, e);
        }
        Map<String, Long> bytes = new TreeMap<>();
        topics.forEach(t -> bytes.put(t, 0L));
        if (command.size() == 4) {
            return bytes;
        }
        try {
            Process du = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!du.waitFor(TIMEOUT_S, TimeUnit.SECONDS) || du.exitValue() != 0) {
                du.destroyForcibly();
                throw new IllegalStateException("du failed on the broker's log directory " + logDir);
            }
            parse(out).forEach((topic, b) -> bytes.merge(topic, b, Long::sum));
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run du on the broker's log directory: " + e.getMessage(), e);
        }
    }

    /** Sums {@code du -s -k} lines by the topic of each partition folder: kilobytes x 1024. */
    static Map<String, Long> parse(String duOutput) {
        Map<String, Long> bytes = new TreeMap<>();
        for (String line : duOutput.lines().toList()) {
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a line of du -s -k: " + line);
            }
            String topic = topicOf(Path.of(m.group(2)));
            if (topic != null) {
                bytes.merge(topic, Long.parseLong(m.group(1)) * 1024, Long::sum);
            }
        }
        return bytes;
    }

    /** The topic of a partition's folder, or null for another file or folder. */
    private static String topicOf(Path dir) {
        Path name = dir.getFileName();
        Matcher m = PARTITION.matcher(name == null ? "" : name.toString());
        return m.matches() ? m.group(1) : null;
    }
}
