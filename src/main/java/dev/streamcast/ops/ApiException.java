package dev.streamcast.ops;

/**
 * A request the API answers with an error status and a message meant for the caller: thrown by handlers, written
 * as {@code {"error": message}} by {@link ErrorResponses}. The message must never hold a secret.
 */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    static ApiException unavailable(String message) {
        return new ApiException(503, message);
    }
}
