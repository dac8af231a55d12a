package dev.streamcast.kafka;

/**
 * The embedded Kafka broker could not start. The message is meant for the person running Streamcast: it names
 * the address or directory at fault; the cause holds Kafka's own exception.
 */
public final class BrokerStartupException extends RuntimeException {

    BrokerStartupException(String message) {
        super(message);
    }

    BrokerStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
