package dev.streamcast.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the temporary directories the in-process topologies and benchmarks leave (a TopologyTestDriver's state
 * directory, a benchmark's broker and service directories).
 */
public final class TemporaryDirectories {

    private static final Logger LOG = LoggerFactory.getLogger(TemporaryDirectories.class);

    private TemporaryDirectories() {
    }

    /**
     * Deletes {@code dir} and everything under it. A failure is logged, naming the directory as {@code what}, and not
     * thrown: the result of the work that used it is worth more than a clean temporary directory.
     */
    public static void delete(Path dir, String what) {
        if (!Files.exists(dir)) {
            return;
        }
        // Deepest first: a directory is empty when its turn comes.
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {} {}; delete it by hand: {}", what, dir, e.toString());
        }
    }
}
