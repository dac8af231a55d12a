package dev.streamcast.kafka;

import java.nio.file.Path;

/** Starts embedded brokers the way tests want them: on a free port, in a directory the test owns. */
public final class TestBrokers {

    private TestBrokers() {
    }

    /** A broker on a free port with its data in {@code directory} (e.g. a JUnit {@code @TempDir}). */
    public static EmbeddedKafkaBroker startIn(Path directory) {
        return EmbeddedKafkaBroker.builder(directory).port(0).start();
    }
}
