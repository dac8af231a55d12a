package dev.streamcast.service;

import dev.streamcast.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Kafka refused Streamcast's clients: the credentials are wrong (authentication) or the principal lacks an ACL
 * (authorization). Retrying cannot help, so the service stops and the command line reports the message as one line
 * with exit code 2, like any other configuration mistake.
 */
public final class KafkaAccessException extends ConfigException {

    public KafkaAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The authentication or authorization failure in {@code failure}'s cause chain, or null when there is none. */
    public static RuntimeException accessDenial(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return (RuntimeException) t;
            }
        }
        return null;
    }

    /**
     * The one line for a refusal met while doing {@code what}, naming the settings to look at.
     *
     * @param denial an {@link AuthenticationException} or {@link AuthorizationException}
     */
    public static KafkaAccessException of(String what, String bootstrap, RuntimeException denial) {
        String reason = denial.getMessage() == null ? denial.getClass().getSimpleName() : denial.getMessage();
        if (denial instanceof SslAuthenticationException) {
            return new KafkaAccessException(what + ": the TLS handshake with Kafka at " + bootstrap + " failed ("
                    + firstLine(reason) + "); check kafka.ssl.truststore.* and kafka.security.protocol", denial);
        }
        if (denial instanceof AuthenticationException) {
            return new KafkaAccessException(what + ": Kafka at " + bootstrap + " refused the credentials ("
                    + firstLine(reason) + "); check kafka.sasl.jaas.config and kafka.sasl.mechanism", denial);
        }
        return new KafkaAccessException(what + ": Kafka at " + bootstrap + " denied it (" + firstLine(reason)
                + "); the principal needs the ACL", denial);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}
