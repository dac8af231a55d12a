package dev.streamcast.service;

import dev.streamcast.config.ConfigException;

/**
 * The disk holding {@code kafka.state.dir} is full: RocksDB (the sensor and training stores) or Kafka Streams' own
 * files cannot be written. A replaced stream thread would fail again at its first commit, forever, so the service
 * stops and the command line reports the one line this carries with exit code 2. Nothing is lost: the stores'
 * changes since the last commit are in no committed transaction, and after space is freed the next start resumes
 * the stores (or rebuilds them from their changelogs) and reprocesses from the committed offsets.
 */
public final class StateDirectoryFullException extends ConfigException {

    /** ENOSPC as the C library words it, in Java's IOException and in RocksDB's "IO error" status alike. */
    static final String NO_SPACE = "No space left on device";

    private StateDirectoryFullException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The one line for {@code failure} when a full disk is in its cause chain, or null when it is not.
     *
     * @param stateDir kafka.state.dir
     */
    public static StateDirectoryFullException of(Throwable failure, String stateDir) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains(NO_SPACE)) {
                return new StateDirectoryFullException("the stream stopped: the disk of the state directory "
                        + stateDir + " (kafka.state.dir) is full (" + NO_SPACE + "); free space there and start "
                        + "again: the stores resume from their changelogs, nothing is lost", failure);
            }
        }
        return null;
    }
}
