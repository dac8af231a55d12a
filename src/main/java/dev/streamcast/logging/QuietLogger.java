package dev.streamcast.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logger, by name, held at ERROR (or OFF) for as long as this is open, then put back: for a warning a library
 * (Kafka, Jetty) logs at a known moment of its own lifecycle that nobody can act on, without hiding that logger's
 * warnings the rest of the time; OFF only where every failure the logger could report in that moment is reported by
 * Streamcast's own one line (docs/developing.md, Logging). Does nothing when SLF4J is not bound to logback.
 */
public final class QuietLogger implements AutoCloseable {

    private final Logger logger;
    private final Level before;

    private QuietLogger(Logger logger) {
        this.logger = logger;
        this.before = logger == null ? null : logger.getLevel();
    }

    /** Holds the logger {@code name} at ERROR until {@link #close}. */
    public static QuietLogger atErrorWhileOpen(String name) {
        return holding(name, Level.ERROR);
    }

    /**
     * Silences the logger {@code name}, errors included, until {@link #close}: only for a moment when the caller
     * reports every failure of that library's itself, in one line (the check that Kafka answers before a start,
     * whose client would otherwise log each failed connection or refused handshake as well).
     */
    public static QuietLogger silentWhileOpen(String name) {
        return holding(name, Level.OFF);
    }

    private static QuietLogger holding(String name, Level level) {
        org.slf4j.Logger found = LoggerFactory.getLogger(name);
        QuietLogger quiet = new QuietLogger(found instanceof Logger logback ? logback : null);
        if (quiet.logger != null) {
            quiet.logger.setLevel(level);
        }
        return quiet;
    }

    @Override
    public void close() {
        if (logger != null) {
            // null (inherit from the parent) when the configuration set no level of its own.
            logger.setLevel(before);
        }
    }
}
