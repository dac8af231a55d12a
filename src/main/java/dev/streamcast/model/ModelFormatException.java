package dev.streamcast.model;

/**
 * A model document that cannot be used: malformed JSON, a missing field, an unknown activation, weights of the
 * wrong shape. The message names the field (e.g. {@code layers[0].weights.kernel}) and what was expected.
 */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
