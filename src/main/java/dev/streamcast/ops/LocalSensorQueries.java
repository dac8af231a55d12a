package dev.streamcast.ops;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.ops.ApiViews.Accuracy;
import dev.streamcast.ops.ApiViews.Errors;
import dev.streamcast.ops.ApiViews.HorizonStep;
import dev.streamcast.ops.ApiViews.NextForecast;
import dev.streamcast.ops.ApiViews.ScoredReading;
import dev.streamcast.ops.ApiViews.SensorDetail;
import dev.streamcast.ops.ApiViews.SensorPage;
import dev.streamcast.ops.ApiViews.SensorSummary;
import dev.streamcast.ops.ApiViews.WindowReading;
import dev.streamcast.sensor.ScoredHistory;
import dev.streamcast.sensor.SensorState;
import dev.streamcast.sensor.SensorStateCodec;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.stream.StreamNames;
import dev.streamcast.wire.ForecastSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads the sensors this instance holds from the sensor-state store and shapes them for the API. */
final class LocalSensorQueries {

    private final StreamcastService service;
    private final ForecastSettings settings;
    private final ModelRegistry registry;

    LocalSensorQueries(StreamcastService service) {
        this.service = service;
        this.settings = service.settings();
        this.registry = service.registry();
    }

    /** This instance's sensors whose id starts with the prefix, sorted by id, one page of them. */
    SensorPage page(PageRequest request) {
        ReadOnlyKeyValueStore<String, byte[]> store = StoreAccess.open(service, StreamNames.SENSOR_STORE);
        List<String> ids = new ArrayList<>();
        // A store spread over several partitions iterates partition by partition: sort here.
        try (KeyValueIterator<String, byte[]> it = request.prefix().isEmpty() ? store.all()
                : store.prefixScan(request.prefix(), new StringSerializer())) {
            while (it.hasNext()) {
                ids.add(it.next().key);
            }
        }
        Collections.sort(ids);
        List<SensorSummary> sensors = new ArrayList<>();
        int end = (int) Math.min(ids.size(), (long) request.offset() + request.limit());
        for (int i = request.offset(); i < end; i++) {
            byte[] bytes = store.get(ids.get(i));
            if (bytes != null) {
                sensors.add(summary(ids.get(i), decode(bytes)));
            }
        }
        return new SensorPage(request.prefix(), request.offset(), request.limit(), ids.size(), sensors, List.of());
    }

    /** The sensor's recent readings and errors, if this instance holds it. */
    Optional<SensorDetail> detail(String id) {
        byte[] bytes = StoreAccess.open(service, StreamNames.SENSOR_STORE).get(id);
        if (bytes == null) {
            return Optional.empty();
        }
        SensorState state = decode(bytes);
        ScoredHistory.Scored[] history = state.history();
        List<ScoredReading> readings = new ArrayList<>(history.length);
        List<ScoredReading> anomalies = new ArrayList<>();
        int withInterval = 0;
        int covered = 0;
        for (ScoredHistory.Scored s : history) {
            boolean anomaly = s.anomalyScore() >= settings.anomalyLevel();
            ScoredReading reading = new ScoredReading(ApiViews.time(s.timestamp()), s.actual(), s.forecast(), s.naive(),
                    s.error(), s.naiveError(), s.modelVersion(), ApiViews.finite(s.lower()), ApiViews.finite(s.upper()),
                    ApiViews.finite(s.anomalyScore()), anomaly);
            readings.add(reading);
            if (anomaly) {
                anomalies.add(reading);
            }
            if (Double.isFinite(s.lower()) && Double.isFinite(s.upper())) {
                withInterval++;
                if (s.actual() >= s.lower() && s.actual() <= s.upper()) {
                    covered++;
                }
            }
        }
        List<WindowReading> window = new ArrayList<>(state.count());
        for (int k = 0; k < state.count(); k++) {
            window.add(new WindowReading(ApiViews.time(state.timestamps()[k]), state.values()[k]));
        }
        SensorSummary summary = summary(id, state);
        NextForecast forecast = summary.forecast() == null ? null : summary.forecast().withHorizon(horizon(state));
        return Optional.of(new SensorDetail(id, summary.lastValue(), summary.lastTimestamp(), forecast, window,
                readings, summary.errors(), withInterval == 0 ? null : covered / (double) withInterval, anomalies,
                state.resolutionStep() > 0 ? state.resolutionStep() : null, ApiViews.Season.of(state.season())));
    }

    /** The pending forecast's steps 1..horizonSteps(). */
    private static List<HorizonStep> horizon(SensorState state) {
        List<HorizonStep> steps = new ArrayList<>(state.pending().horizonSteps());
        for (int h = 1; h <= state.pending().horizonSteps(); h++) {
            steps.add(new HorizonStep(h, ApiViews.time(state.stepTimestamp(h)), state.pending().stepForecast(h),
                    ApiViews.finite(state.pending().stepLower(h)), ApiViews.finite(state.pending().stepUpper(h))));
        }
        return steps;
    }

    private SensorState decode(byte[] bytes) {
        return SensorStateCodec.decode(bytes, settings.windowLength(), settings.historyLength(), settings.horizon(),
                settings.seasonMaxBins());
    }

    private SensorSummary summary(String id, SensorState state) {
        Double lastValue = null;
        String lastTimestamp = null;
        ScoredHistory.Scored[] history = state.history();
        if (!state.isEmpty()) {
            lastValue = state.lastValue();
            lastTimestamp = ApiViews.time(state.lastTimestamp());
        } else if (history.length > 0) {
            // The window restarted after a silence; the history still knows the last reading.
            lastValue = history[history.length - 1].actual();
            lastTimestamp = ApiViews.time(history[history.length - 1].timestamp());
        }
        NextForecast forecast = null;
        if (state.pending().isPresent()) {
            ForecastSource source = state.pending().source();
            forecast = new NextForecast(state.pending().forecast(), ApiViews.finite(state.pending().lower()),
                    ApiViews.finite(state.pending().upper()), modelIdFor(id), state.pending().version(),
                    source.forecaster(), source.naiveReason(), null);
        }
        double[] rolling = state.rollingErrors();
        Errors errors = new Errors(history.length,
                new Accuracy(ApiViews.finite(rolling[0]), ApiViews.finite(rolling[1])),
                new Accuracy(ApiViews.finite(rolling[2]), ApiViews.finite(rolling[3])));
        return new SensorSummary(id, lastValue, lastTimestamp, forecast, errors);
    }

    /** The model forecasting the sensor: its own in per-sensor scope once it has one, else the shared one. */
    private String modelIdFor(String sensorId) {
        String own = settings.modelIdFor(sensorId);
        return settings.perSensor() && registry.get(own) == null ? settings.modelId() : own;
    }
}
