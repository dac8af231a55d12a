package dev.streamcast.config;

/** A configuration key with a value Streamcast cannot use; the message names the key and what it expects. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
