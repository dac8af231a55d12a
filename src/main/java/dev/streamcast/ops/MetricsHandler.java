package dev.streamcast.ops;

import io.javalin.http.Context;

/** {@code GET /metrics}: the Prometheus text format. */
final class MetricsHandler {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final OpsMetrics metrics;

    MetricsHandler(OpsMetrics metrics) {
        this.metrics = metrics;
    }

    void get(Context ctx) {
        ctx.contentType(CONTENT_TYPE).result(metrics.scrape());
    }
}
