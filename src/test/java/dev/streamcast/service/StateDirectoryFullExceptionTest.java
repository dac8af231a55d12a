package dev.streamcast.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;

/** Which failures of the stream are a full state disk, and the one line that says so. */
@Tag("unit")
class StateDirectoryFullExceptionTest {

    @Test
    void rocksDbRefusingAWriteForLackOfSpaceIsAFullStateDisk() {
        // As Kafka Streams 4.4 reported it in FullStateDiskTest: the flush of the store's cache failing in RocksDB.
        RocksDBException rocks = new RocksDBException("While appending to file: /state/0_0/rocksdb/sensor-state/"
                + "000011.sst: No space left on device");
        StreamsException failure = new StreamsException(new ProcessorStateException(
                "Error while putting key/value into store sensor-state", rocks));
        StateDirectoryFullException full = StateDirectoryFullException.of(failure, "data/state");
        assertNotNull(full);
        assertEquals("the stream stopped: the disk of the state directory data/state (kafka.state.dir) is full (No "
                + "space left on device); free space there and start again: the stores resume from their "
                + "changelogs, nothing is lost", full.getMessage());
        assertSame(failure, full.getCause());
    }

    @Test
    void javaRefusingAWriteForLackOfSpaceIsAFullStateDisk() {
        UncheckedIOException failure = new UncheckedIOException(new IOException("No space left on device"));
        assertNotNull(StateDirectoryFullException.of(failure, "data/state"));
    }

    @Test
    void otherFailuresAreNot() {
        assertNull(StateDirectoryFullException.of(new StreamsException(new ProcessorStateException(
                "Error while putting key/value into store sensor-state", new RocksDBException("Corruption"))),
                "data/state"));
        assertNull(StateDirectoryFullException.of(new IllegalStateException(), "data/state"));
    }
}
