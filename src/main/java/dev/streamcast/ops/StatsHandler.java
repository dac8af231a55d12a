package dev.streamcast.ops;

import dev.streamcast.ops.ApiViews.Accuracy;
import dev.streamcast.ops.ApiViews.Coverage;
import dev.streamcast.ops.ApiViews.Errors;
import dev.streamcast.ops.ApiViews.Stats;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.stream.StreamMetrics;
import dev.streamcast.wire.ForecastSource;
import dev.streamcast.wire.RejectReason;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/stats}: the stream's counters (readings accepted, refused by reason, duplicates, forecasts) and
 * overall errors against the naive forecast, summed over every instance. The dashboard derives readings per
 * second from two successive answers.
 */
final class StatsHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StatsHandler.class);

    private final StreamcastService service;
    private final PeerInstances peers;
    private final JsonResponses json;

    StatsHandler(StreamcastService service, PeerInstances peers, JsonResponses json) {
        this.service = service;
        this.peers = peers;
        this.json = json;
    }

    void get(Context ctx) {
        Stats stats = local();
        if (!SensorsHandler.isLocalScope(ctx)) {
            List<String> unreachable = new ArrayList<>();
            for (HostInfo host : peers.others(null)) {
                try {
                    PeerInstances.Answer answer = peers.get(host, "/api/stats?scope=" + PeerInstances.LOCAL_SCOPE);
                    if (answer.status() != 200) {
                        throw new IOException("HTTP " + answer.status());
                    }
                    stats = sum(stats, json.read(answer.body(), Stats.class));
                } catch (ApiException | IOException e) {
                    LOG.warn("no stats from instance {}: {}", PeerInstances.name(host), e.getMessage());
                    unreachable.add(PeerInstances.name(host));
                }
            }
            stats = withUnreachable(stats, unreachable);
        }
        json.send(ctx, 200, stats);
    }

    private Stats local() {
        StreamMetrics m = service.metrics();
        Map<String, Long> refused = new LinkedHashMap<>();
        for (RejectReason reason : RejectReason.values()) {
            refused.put(reason.code(), m.refused(reason));
        }
        StreamMetrics.ErrorSums model = m.modelErrors();
        StreamMetrics.ErrorSums naive = m.naiveErrors();
        Errors errors = new Errors(model.count(),
                new Accuracy(ApiViews.finite(model.rmse()), ApiViews.finite(model.mae())),
                new Accuracy(ApiViews.finite(naive.rmse()), ApiViews.finite(naive.mae())));
        Map<String, Long> naiveByReason = new LinkedHashMap<>();
        for (ForecastSource source : ForecastSource.values()) {
            if (source.isNaive()) {
                naiveByReason.put(source.naiveReason(), m.naiveForecasts(source));
            }
        }
        KafkaStreams streams = service.streams();
        return new Stats(ApiViews.time(System.currentTimeMillis()), 1,
                streams == null ? "NOT_STARTED" : streams.state().name(),
                m.accepted(), m.duplicates(), m.forecasts(), m.naiveForecasts(), naiveByReason, m.windowRestarts(),
                m.refusedTotal(), refused, errors, coverage(service.settings().intervalLevel(), m.intervalsScored(),
                        m.intervalsCovered()), m.anomalies(), List.of());
    }

    private static Coverage coverage(double level, long readings, long covered) {
        return new Coverage(level, readings, covered, readings == 0 ? null : covered / (double) readings);
    }

    /** Counters add up; RMSE and MAE are recombined from their sums over each instance's readings. */
    private static Stats sum(Stats a, Stats b) {
        Map<String, Long> refused = new LinkedHashMap<>(a.refused());
        b.refused().forEach((reason, n) -> refused.merge(reason, n, Long::sum));
        Map<String, Long> naiveByReason = new LinkedHashMap<>(a.naiveByReason());
        b.naiveByReason().forEach((reason, n) -> naiveByReason.merge(reason, n, Long::sum));
        Coverage coverage = coverage(a.coverage().level(), a.coverage().readings() + b.coverage().readings(),
                a.coverage().covered() + b.coverage().covered());
        long n = a.errors().readings() + b.errors().readings();
        Errors errors = new Errors(n, combine(a.errors().model(), b.errors().model(), a.errors().readings(),
                b.errors().readings()), combine(a.errors().naive(), b.errors().naive(), a.errors().readings(),
                b.errors().readings()));
        return new Stats(a.time(), a.instances() + b.instances(), a.state(), a.accepted() + b.accepted(),
                a.duplicates() + b.duplicates(), a.forecasts() + b.forecasts(), a.naiveForecasts() + b.naiveForecasts(),
                naiveByReason, a.windowRestarts() + b.windowRestarts(), a.refusedTotal() + b.refusedTotal(), refused,
                errors, coverage, a.anomalies() + b.anomalies(), List.of());
    }

    /** sqrt((rmse_a^2 n_a + rmse_b^2 n_b) / n) and (mae_a n_a + mae_b n_b) / n. */
    static Accuracy combine(Accuracy a, Accuracy b, long na, long nb) {
        long n = na + nb;
        if (n == 0) {
            return new Accuracy(null, null);
        }
        double squares = square(a.rmse(), na) + square(b.rmse(), nb);
        double absolutes = weighted(a.mae(), na) + weighted(b.mae(), nb);
        return new Accuracy(Math.sqrt(squares / n), absolutes / n);
    }

    private static double square(Double rmse, long n) {
        return rmse == null || n == 0 ? 0 : rmse * rmse * n;
    }

    private static double weighted(Double mae, long n) {
        return mae == null || n == 0 ? 0 : mae * n;
    }

    private static Stats withUnreachable(Stats s, List<String> unreachable) {
        return new Stats(s.time(), s.instances(), s.state(), s.accepted(), s.duplicates(), s.forecasts(),
                s.naiveForecasts(), s.naiveByReason(), s.windowRestarts(), s.refusedTotal(), s.refused(), s.errors(),
                s.coverage(), s.anomalies(), unreachable);
    }
}
