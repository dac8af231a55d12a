package dev.streamcast.ops;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.stream.StreamMetrics;
import dev.streamcast.wire.ForecastSource;
import dev.streamcast.wire.RejectReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Streamcast's own meters over the stream's counters and the model registry. No meter has a per-sensor label:
 * thousands of sensors must not become thousands of series. The model version is labelled by model id, which
 * per-sensor scope makes a sensor id, so only the shared model and the first few others are exported.
 */
final class StreamcastMeters implements MeterBinder {

    /** Model ids exported with streamcast_model_version: the shared one first, then the first others by id. */
    static final int MODEL_VERSION_SERIES = 10;

    private final StreamcastService service;
    private final StreamMetrics metrics;
    private final ModelRegistry registry;
    private final ForecastSettings settings;
    private final TrainingRunMeters trainingRuns;
    private MultiGauge modelVersions;

    StreamcastMeters(StreamcastService service) {
        this.service = service;
        this.metrics = service.metrics();
        this.registry = service.registry();
        this.settings = service.settings();
        this.trainingRuns = new TrainingRunMeters(registry);
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        FunctionCounter.builder("streamcast.readings.accepted", metrics, StreamMetrics::accepted)
                .description("Readings accepted into a sensor's window").register(meters);
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder("streamcast.readings.refused", metrics, m -> m.refused(reason))
                    .description("Readings sent to the dead-letter topic, by reason").tag("reason", reason.code())
                    .register(meters);
        }
        FunctionCounter.builder("streamcast.internal.errors", metrics, StreamMetrics::internalErrors)
                .description("Records a processor failed on with an exception it did not foresee, sent to the "
                        + "dead-letter topic with reason internal-error").register(meters);
        FunctionCounter.builder("streamcast.readings.duplicates", metrics, StreamMetrics::duplicates)
                .description("Redelivered readings dropped").register(meters);
        FunctionCounter.builder("streamcast.window.restarts", metrics, StreamMetrics::windowRestarts)
                .description("Sensor windows restarted after a silence longer than window.max-gap").register(meters);
        FunctionCounter.builder("streamcast.season.changes", metrics, StreamMetrics::seasonChanges)
                .description("Times a sensor's season in use was found, lost or replaced").register(meters);
        FunctionCounter.builder("streamcast.forecasts", metrics, StreamMetrics::forecasts)
                .description("Forecasts published").register(meters);
        for (ForecastSource source : ForecastSource.values()) {
            if (source.isNaive()) {
                FunctionCounter.builder("streamcast.forecasts.naive", metrics, m -> m.naiveForecasts(source))
                        .description("Forecasts published as the last value, by reason: no-model (none exists yet), "
                                + "floor (the per-sensor floor), non-finite (the model's forecast was not a number)")
                        .tag("reason", source.naiveReason()).register(meters);
            }
        }
        FunctionCounter.builder("streamcast.anomalies", metrics, StreamMetrics::anomalies)
                .description("Readings flagged as anomalies (anomaly score >= anomaly.level)").register(meters);
        FunctionCounter.builder("streamcast.intervals.scored", metrics, StreamMetrics::intervalsScored)
                .description("Scored readings whose forecast carried an interval").register(meters);
        FunctionCounter.builder("streamcast.intervals.covered", metrics, StreamMetrics::intervalsCovered)
                .description("Scored readings inside their forecast's interval (coverage = covered / scored)")
                .register(meters);
        FunctionCounter.builder("streamcast.forecasts.scored", metrics, m -> m.modelErrors().count())
                .description("Forecasts scored against the reading that followed").register(meters);
        accuracy(meters, "model", metrics.modelErrors());
        accuracy(meters, "naive", metrics.naiveErrors());
        Gauge.builder("streamcast.models", registry, r -> r.all().size())
                .description("Model ids with a published version").register(meters);
        modelVersions = MultiGauge.builder("streamcast.model.version")
                .description("The version each model id forecasts with (the shared model and the first "
                        + MODEL_VERSION_SERIES + " ids)").register(meters);
        Gauge.builder("streamcast.streams.running", service, s -> s.isRunning() ? 1 : 0)
                .description("1 while Kafka Streams is RUNNING").register(meters);
        trainingRuns.bindTo(meters);
        refresh();
    }

    private static void accuracy(MeterRegistry meters, String forecaster, StreamMetrics.ErrorSums errors) {
        Gauge.builder("streamcast.forecast.rmse", errors, StreamMetrics.ErrorSums::rmse)
                .description("Root mean squared error of all scored forecasts since start, and the naive forecast's")
                .tag("forecaster", forecaster).register(meters);
        Gauge.builder("streamcast.forecast.mae", errors, StreamMetrics.ErrorSums::mae)
                .description("Mean absolute error of all scored forecasts since start, and the naive forecast's")
                .tag("forecaster", forecaster).register(meters);
    }

    /** Brings the series that follow the registry (model versions, training runs) up to date; call before a scrape. */
    void refresh() {
        Map<String, ModelRegistry.Entry> models = registry.all();
        List<String> exported = new ArrayList<>();
        if (models.containsKey(settings.modelId())) {
            exported.add(settings.modelId());
        }
        for (String id : new TreeSet<>(models.keySet())) {
            if (exported.size() >= MODEL_VERSION_SERIES) {
                break;
            }
            if (!id.equals(settings.modelId())) {
                exported.add(id);
            }
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String id : exported) {
            rows.add(MultiGauge.Row.of(Tags.of("model_id", id), registry, r -> {
                ModelRegistry.Entry entry = r.get(id);
                return entry == null ? 0 : entry.version();
            }));
        }
        modelVersions.register(rows, true);
        trainingRuns.refresh();
    }
}
