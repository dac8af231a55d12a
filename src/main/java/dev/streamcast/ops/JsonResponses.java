package dev.streamcast.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;

/** Writes and reads the API's JSON: one ObjectMapper, every body UTF-8 JSON, every error {"error": "..."}. */
final class JsonResponses {

    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private final ObjectMapper mapper = new ObjectMapper();

    void send(Context ctx, int status, Object body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + body.getClass().getSimpleName() + " as JSON", e);
        }
        ctx.status(status).contentType(CONTENT_TYPE).result(bytes);
    }

    void sendError(Context ctx, int status, String message) {
        send(ctx, status, Map.of("error", message));
    }

    /** Passes a body another instance answered with through unchanged. */
    void sendRaw(Context ctx, int status, byte[] json) {
        ctx.status(status).contentType(CONTENT_TYPE).result(json);
    }

    <T> T read(byte[] json, Class<T> type) throws IOException {
        return mapper.readValue(json, type);
    }
}
