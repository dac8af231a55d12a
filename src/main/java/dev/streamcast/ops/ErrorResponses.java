package dev.streamcast.ops;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a JSON answer {@code {"error": "..."}}. Messages meant for callers pass through;
 * anything unexpected is logged here with its stack trace and answered with a generic message, so neither a
 * stack trace nor a value from the configuration reaches the caller.
 */
final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final JsonResponses json;

    ErrorResponses(JsonResponses json) {
        this.json = json;
    }

    void register(Javalin app) {
        app.exception(ApiException.class, (e, ctx) -> json.sendError(ctx, e.status(), e.getMessage()));
        app.exception(InvalidStateStoreException.class, (e, ctx) -> {
            LOG.debug("state store not queryable for {} {}", ctx.method(), ctx.path(), e);
            json.sendError(ctx, 503, "the state store is not queryable now (Kafka Streams is rebalancing or "
                    + "restoring); retry shortly");
        });
        app.exception(HttpResponseException.class,
                (e, ctx) -> json.sendError(ctx, e.getStatus(), statusMessage(e, ctx)));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            json.sendError(ctx, 500, "internal error; the server log has the details");
        });
        // Javalin answers unmatched paths itself; give them the same JSON shape as every other error.
        app.error(404, ctx -> {
            if (!isJson(ctx)) {
                json.sendError(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
    }

    private static String statusMessage(HttpResponseException e, Context ctx) {
        if (e.getStatus() == 404) {
            return "no such endpoint: " + ctx.method() + " " + ctx.path();
        }
        return e.getMessage() == null || e.getMessage().isEmpty() ? "HTTP " + e.getStatus() : e.getMessage();
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith("application/json");
    }
}
