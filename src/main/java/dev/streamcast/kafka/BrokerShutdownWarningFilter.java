package dev.streamcast.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the one warning Kafka's broker logs on every clean shutdown: its broker-registration channel is closed
 * twice (once by the broker's lifecycle manager, once by the broker itself), and the second close warns
 * "Attempting to close NetworkClient that has already been closed". The logger it uses,
 * {@code org.apache.kafka.clients.NetworkClient}, also carries the warnings users must see (a broker that cannot
 * be reached), so it cannot be silenced by name; this filter matches that logger and that message only.
 * Installed by logback.xml, where the list of silenced loggers is.
 */
public final class BrokerShutdownWarningFilter extends TurboFilter {

    static final String LOGGER = "org.apache.kafka.clients.NetworkClient";
    static final String MESSAGE = "Attempting to close NetworkClient that has already been closed";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == Level.WARN && format != null && logger.getName().equals(LOGGER) && format.contains(MESSAGE)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
