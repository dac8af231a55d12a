package dev.streamcast.kafka;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a second embedded broker, in this JVM or another process, out of a data directory that is in use.
 *
 * <p>Kafka's own {@code .lock} is not enough here: when the metadata log shares the data directory, Kafka takes
 * that lock only once the broker half starts, after the controller half has already opened and written the
 * metadata log, so a second node on the same directory damages the first one's metadata before it fails.
 *
 * <p>The operating system drops the lock when the process dies, so a crash leaves nothing that blocks the next
 * start; the file itself is left in place on purpose (deleting a lock file races with the next locker).
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "streamcast-broker.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code directory}, creating it if needed.
     *
     * @throws BrokerStartupException if another broker holds it
     */
    static DataDirectoryLock acquire(Path directory) throws IOException {
        Files.createDirectories(directory);
        FileChannel channel = FileChannel.open(directory.resolve(FILE_NAME),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new BrokerStartupException("cannot start the embedded Kafka broker: its data directory "
                    + directory + " is in use by another process");
            }
            return new DataDirectoryLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeAfterFailure(channel, e);
            throw new BrokerStartupException("cannot start the embedded Kafka broker: its data directory "
                + directory + " is in use by another broker in this process", e);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    private static void closeAfterFailure(FileChannel channel, Exception failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
