package dev.streamcast.stream;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.input.InputFormats;
import dev.streamcast.input.ReadingDecoder;
import dev.streamcast.model.Features;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.LocalCorrection;
import dev.streamcast.sensor.PendingHorizon;
import dev.streamcast.sensor.ReadingResolution;
import dev.streamcast.sensor.SensorCalibration;
import dev.streamcast.sensor.SensorState;
import dev.streamcast.wire.AccuracyMessage;
import dev.streamcast.wire.DeadLetterHeaders;
import dev.streamcast.wire.ForecastMessage;
import dev.streamcast.wire.ForecastSource;
import dev.streamcast.wire.JsonMessageWriter;
import dev.streamcast.wire.RejectReason;
import dev.streamcast.wire.SampleBatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-reading path. For each record of the readings topic:
 * <ol>
 *   <li>refuse it to the dead-letter topic if it is not a valid reading, or is older than the sensor's last one;
 *       drop it if it is a redelivery of a reading already in the window;</li>
 *   <li>score the sensor's pending forecast against it (accuracy topic): its error, its place against the
 *       forecast's interval, its anomaly score against the calibration ({@link SensorCalibration}; an anomalous
 *       reading's record also goes to the anomalies topic); score the model's own forecast and the naive one for
 *       the floor; and add the pair (window, reading) as a training sample to this task's
 *       batch, which goes to the trainer once per commit interval or when full ({@link SampleBatch}), unless the
 *       reading is anomalous (an outlier is not a target to learn);</li>
 *   <li>teach the sensor's own correction of the network what the network missed ({@link LocalCorrection});</li>
 *   <li>slide it into the sensor's window and, once the window is full, forecast the next value with the current
 *       model and the sensor's correction, or naively with the last value ({@link ForecastSource}: no model yet,
 *       the floor, a non-finite model forecast), with its interval.</li>
 * </ol>
 */
final class ReadingProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(ReadingProcessor.class);
    private static final int MODEL_CACHE_SIZE = 1024;
    /** Sensor states kept decoded per task; about 2.8 KB each at the default window and history. */
    static final int SENSOR_CACHE_SIZE = 4096;


    private final ForecastSettings settings;
    private final ModelRegistry registry;
    private final StreamMetrics metrics;
    // The auto format's parser, or the decoder of the mapped readings the repartition brings (InputMapping).
    private final ReadingDecoder parser;
    // One JSON writer for both messages of a reading: they share most of their numbers' text.
    private final JsonMessageWriter json = new JsonMessageWriter();
    private final ForecastMessage.Writer forecastMessages = new ForecastMessage.Writer(json);
    private final AccuracyMessage.Writer accuracyMessages = new AccuracyMessage.Writer(json);
    // Per task: the processor is created once per task, so the pooled errors are the task's sensors'.
    private final SensorCalibration calibration;
    // What the messages of the reading being processed say, reused reading after reading.
    private final AccuracyMessage.Content accuracy = new AccuracyMessage.Content();
    private final ForecastMessage.Content forecastContent;
    private final int horizon;
    // The forecast path: the window, then the forecasts of steps 1..H-1 fed back as if they were readings.
    private final double[] path;
    // The window with the sensor's season taken out (SensorSeason): what the network, the correction and the
    // training samples see; the window itself while the sensor has no season.
    private final double[] adjusted;
    // A window as a model of several features per step takes it (Features, raw), rebuilt for each model's features;
    // and the window's row of model.features for the training sample (adjusted itself for value alone).
    private final double[] row;
    private final double[] sampleRow;
    private final Features sampleFeatures;
    private final long maxGapMs;
    private final long maxFutureSkewMs;
    // This thread's copies of the models in use, by model id: a copy per thread because forecasting reuses
    // work buffers. A new registry entry (a new version) replaces the copy, so one forecast never mixes two.
    private final Map<String, ThreadModel> models = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ThreadModel> eldest) {
            return size() > MODEL_CACHE_SIZE;
        }
    };
    private ProcessorContext<byte[], byte[]> context;
    private SensorStateStore sensors;
    // The state of the sensor being processed: cached or loaded from the store, handed back to it after each reading
    // (SensorStateStore encodes the changed states once per commit).
    private final SensorStateCache states;
    private SensorState state;
    // Training samples not sent yet (a batch per model, or per sensor in per-sensor scope).
    private final TaskSampleBatches samples;
    // The last record's timestamp (when it was written, for the readings topic's usual CreateTime) and whether one
    // came since the last commit request: whether this task is caught up (punctuate).
    private long lastRecordTimestamp;
    private boolean processedSinceCommitRequest;

    private record ThreadModel(ModelRegistry.Entry entry, Forecaster forecaster) {
    }

    ReadingProcessor(ForecastSettings settings, ModelRegistry registry, StreamMetrics metrics) {
        this.settings = settings;
        this.registry = registry;
        this.metrics = metrics;
        this.parser = InputFormats.decoder(settings.input(), settings.maxAbsValue());
        this.maxGapMs = settings.maxGap() == null ? Long.MAX_VALUE : settings.maxGap().toMillis();
        this.maxFutureSkewMs = settings.maxFutureSkew().toMillis();
        this.horizon = settings.horizon();
        this.states = new SensorStateCache(SENSOR_CACHE_SIZE, settings.windowLength(), settings.historyLength(),
                horizon, settings.seasonMaxBins());
        this.calibration = new SensorCalibration(settings.intervalLevel(), settings.anomalyLevel(), horizon,
                settings.floorReadings(), settings.correctionForgetting());
        this.forecastContent = new ForecastMessage.Content(horizon);
        this.path = new double[settings.windowLength() + horizon - 1];
        this.adjusted = new double[settings.windowLength()];
        this.row = new double[settings.windowLength() * Features.Feature.values().length];
        this.sampleFeatures = settings.features();
        this.sampleRow = new double[settings.windowLength() * sampleFeatures.count()];
        this.samples = new TaskSampleBatches(settings, metrics.origin());
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        samples.init(context);
        this.sensors = SensorStateStore.of(context.getStateStore(StreamNames.SENSOR_STORE));
        states.clear(sensors);
        // Once per commit interval: a crash loses at most the samples of one interval (never a forecast or an
        // accuracy record, which are sent as they are made).
        context.schedule(Duration.ofMillis(settings.samplesFlushMs()), PunctuationType.WALL_CLOCK_TIME,
                this::punctuate);
    }

    /**
     * Sends the samples' batches and, when the stream commits on request
     * ({@link ForecastSettings#commitsWhenCaughtUp}), asks for a commit if this task processed a reading since the
     * last time and is caught up: the last record it processed was written at most
     * {@link ForecastSettings#CAUGHT_UP_MS} ago. Behind, the stream commits at Kafka Streams' longer interval, and
     * fewer transactions drain the backlog faster; unless the trainer waits for the samples in flight
     * ({@link StreamMetrics#trainerWantsSamples}): a due retraining is not held back for a faster drain.
     */
    private void punctuate(long now) {
        samples.sendAll();
        if (settings.commitsWhenCaughtUp() && processedSinceCommitRequest
                && (now - lastRecordTimestamp <= ForecastSettings.CAUGHT_UP_MS || metrics.trainerWantsSamples())) {
            context.commit();
            processedSinceCommitRequest = false;
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        lastRecordTimestamp = record.timestamp();
        processedSinceCommitRequest = true;
        if (!parser.parse(record.key(), record.value(), record.timestamp())) {
            deadLetter(record, parser.reason(), parser.detail());
            return;
        }
        String sensorId = parser.sensorId();
        double value = parser.value();
        long timestamp = parser.timestamp();
        if (timestamp - context.currentSystemTimeMs() > maxFutureSkewMs) {
            deadLetter(record, RejectReason.FUTURE, "timestamp " + timestamp
                    + " is more than input.max-future-skew ahead "
                    + "of the clock");
            return;
        }
        state = states.get(sensorId);
        if (state == null) {
            state = states.load(sensorId, sensors.get(sensorId));
        }
        try {
            process(record, sensorId, value, timestamp);
        } catch (RuntimeException e) {
            // The cached state may be half-updated: the sensor goes on from the store's, as of the last commit (the
            // state before this reading, or before its sensor's earlier readings since that commit too, which an
            // internal error forgets; docs/design.md, Sensor states).
            states.evict(sensorId);
            sensors.forget(sensorId);
            throw e;
        }
    }

    /** Steps 1-3 for a valid reading, with the sensor's state in {@link #state}. */
    private void process(Record<byte[], byte[]> record, String sensorId, double value, long timestamp) {
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        if (!state.isEmpty()) {
            if (!parser.hasExplicitTimestamp() && offset >= 0 && state.lastOffset() >= 0) {
                // A reading stamped with its record's timestamp: records a producer sent in one batch share a
                // millisecond, so an equal timestamp is a new reading; a redelivery is one at an offset already seen.
                if (offset <= state.lastOffset()) {
                    metrics.recordDuplicate();
                    return;
                }
                if (timestamp < state.lastTimestamp()) {
                    deadLetter(record, RejectReason.LATE, "timestamp " + timestamp + " is before the sensor's last "
                            + "reading at " + state.lastTimestamp());
                    return;
                }
            } else if (state.contains(timestamp, value)) {
                metrics.recordDuplicate();
                return;
            } else if (timestamp <= state.lastTimestamp()) {
                deadLetter(record, RejectReason.LATE, "timestamp " + timestamp
                        + " is not after the sensor's last reading at "
                        + state.lastTimestamp());
                return;
            }
            if (timestamp - state.lastTimestamp() > maxGapMs) {
                state.restart();
                metrics.recordWindowRestart();
            }
        }
        metrics.recordAccepted();
        if (state.isFull()) {
            score(record, sensorId, timestamp, value);
        }
        if (state.take(timestamp, value, offset)) {
            metrics.recordSeasonChange();
        }
        if (state.isFull()) {
            forecast(record, sensorId, settings.modelIdFor(sensorId), state);
        }
        sensors.changed(sensorId, state);
    }

    /**
     * Scores the forecasts this reading resolves (steps 2..H of earlier forecasts, then the pending step 1), one
     * accuracy record each, and hands the window and the reading to training unless the reading is an anomaly (an
     * outlier is not a target to learn). The window is as the forecasts saw it: the reading has not entered it.
     */
    private void score(Record<byte[], byte[]> record, String sensorId, long timestamp, double value) {
        adjustWindow(state);
        // The reading with the season taken out, by the profile as it was when the forecast was made.
        double adjustedValue = value - state.season().offset(timestamp);
        PendingHorizon steps = state.pending().horizon();
        for (int step = 2; step <= horizon && steps.has(step); step++) {
            calibration.scoreStep(state, step, value, accuracy.reading(sensorId, timestamp, value));
            forwardAccuracy(record, false);
        }
        boolean anomaly = false;
        if (state.pending().isPresent()) {
            anomaly = calibration.scoreNext(state, timestamp, value, adjustedValue, adjusted,
                    accuracy.reading(sensorId, timestamp, value));
            forwardAccuracy(record, anomaly);
            metrics.recordScored(accuracy.forecast(), state.lastValue(), value);
            metrics.recordInterval(accuracy.lower(), accuracy.upper(), value, anomaly);
        }
        if (!anomaly) {
            // With the statistics the window's forecast was made with, before this reading enters them.
            double[] sample = sampleFeatures.isValueOnly() ? adjusted : windowRow(state, sampleFeatures, sampleRow);
            samples.add(record, sensorId, sample, state.level(), state.stepRms(), adjustedValue);
            metrics.recordSampleEmitted();
        }
    }

    /** Sends {@link #accuracy} to the accuracy topic, and to the anomalies topic too for an anomaly. */
    private void forwardAccuracy(Record<byte[], byte[]> record, boolean anomaly) {
        byte[] message = accuracyMessages.write(accuracy);
        context.forward(new Record<>(record.key(), message, record.timestamp()), StreamNames.ACCURACY_SINK);
        if (anomaly && settings.topics().hasAnomalies()) {
            context.forward(new Record<>(record.key(), message, record.timestamp()), StreamNames.ANOMALIES_SINK);
        }
    }

    /**
     * {@link #adjusted}: the window's readings less the season's offset each one arrived with
     * ({@link SensorState#offsets}).
     */
    private void adjustWindow(SensorState state) {
        for (int k = 0; k < state.count(); k++) {
            adjusted[k] = state.adjustedValue(k);
        }
    }

    /** The window (after {@link #adjustWindow}) as a row of {@code features} per step, written to {@code out}. */
    private double[] windowRow(SensorState state, Features features, double[] out) {
        long[] timestamps = state.timestamps();
        int f = features.count();
        for (int k = 0; k < state.count(); k++) {
            features.writeStep(adjusted[k], state.offsets()[k], timestamps[k], out, k * f);
        }
        return out;
    }

    /** What {@code forecaster} takes for the current window: the adjusted values, or its row of features. */
    private double[] inputFor(Forecaster forecaster, SensorState state) {
        return forecaster.features().isValueOnly() ? adjusted : windowRow(state, forecaster.features(), row);
    }

    /**
     * The row of features of the window slid {@code shift} places over the horizon's path ({@link #path}): a step
     * past the window takes the time and the season's offset of its horizon step.
     */
    private double[] pathRow(Forecaster forecaster, SensorState state, int shift) {
        Features features = forecaster.features();
        int w = state.windowLength();
        int f = features.count();
        for (int k = 0; k < w; k++) {
            int j = shift + k;
            boolean inWindow = j < w;
            long time = inWindow ? state.timestamps()[j] : state.stepTimestamp(j - w + 1);
            double offset = inWindow ? state.offsets()[j]
                    : state.season().offsetAhead(state.lastTimestamp(), j - w + 1);
            features.writeStep(path[j], offset, time, row, k * f);
        }
        return row;
    }

    @Override
    public void close() {
        states.clear();
    }

    private void forecast(Record<byte[], byte[]> record, String sensorId, String modelId, SensorState state) {
        Forecaster forecaster = forecasterFor(modelId);
        adjustWindow(state);
        // The forecast is made for the adjusted series, and the season's offset at the next reading put back.
        double nextOffset = state.season().offsetAhead(state.lastTimestamp(), 1);
        double modelForecast = Double.NaN;
        ForecastSource source;
        String usedId = modelId;
        long version = 0;
        if (forecaster == null) {
            source = ForecastSource.NAIVE_NO_MODEL;
            state.correction().dropPending();
        } else {
            usedId = forecaster.modelId();
            version = forecaster.version();
            modelForecast = forecaster.forecast(inputFor(forecaster, state), 0, state.level(), state.stepRms());
            if (calibration.corrects()) {
                modelForecast = state.correction().correctPending(adjusted, 0, state.level(), state.stepRms(),
                        modelForecast);
            }
            modelForecast += nextOffset;
            if (!Double.isFinite(modelForecast)) {
                LOG.warn("model '{}' version {} forecast {} for sensor '{}'; publishing the naive forecast instead",
                        forecaster.modelId(), forecaster.version(), modelForecast, sensorId);
                modelForecast = Double.NaN;
                source = ForecastSource.NAIVE_NON_FINITE;
            } else if (calibration.servesNaive(state)) {
                source = ForecastSource.NAIVE_FLOOR;
            } else {
                source = ForecastSource.LSTM;
            }
        }
        // The naive forecast: the last value moved by the season's step, back towards the adjusted level as far as
        // the sensor's departures from it fade (SensorSeason.towardsLevel; the last value itself without a season).
        double forecast = source.isNaive()
                ? state.season().towardsLevel(adjusted[state.count() - 1], 1) + nextOffset : modelForecast;
        double halfWidth = calibration.halfWidth(state);
        ForecastMessage.Content out = forecastContent.window(sensorId, state.lastTimestamp(), state.values(),
                state.count(), state.meanIntervalMs()).madeBy(usedId, version, source);
        setStep(state, 0, forecast, halfWidth);
        if (horizon > 1) {
            forecastSteps(forecaster, source, state, halfWidth, nextOffset);
        }
        context.forward(new Record<>(record.key(), forecastMessages.write(out), record.timestamp()),
                StreamNames.FORECASTS_SINK);
        metrics.recordForecast(source);
        state.pending().set(forecast, version, out.lowers()[0], out.uppers()[0], modelForecast, source);
        state.pending().horizon().push(out.forecasts(), out.lowers(), out.uppers(), version, source);
    }

    /**
     * Steps 2..H into {@link #forecastContent}, step 1 being in place. The model forecasts step h from the window
     * slid h - 1 places over its own forecasts (the sensor's level and step size as they are now); a naive forecast
     * carries the last value to every step, and so does a model step that is not finite, from there on. With a
     * season all of it runs in the adjusted series, the model's steps carry step 1's forecast, and each step adds
     * the season's offset at its own time. Half-widths grow as {@link SensorCalibration#growth} says.
     */
    private void forecastSteps(Forecaster forecaster, ForecastSource source, SensorState state, double halfWidth,
                               double nextOffset) {
        int w = state.windowLength();
        // The path runs in the adjusted series; each step's published forecast adds the season's offset at its time,
        // so that a step one season ahead repeats what the season did, moved by the adjusted series' forecast.
        System.arraycopy(adjusted, 0, path, 0, w);
        path[w] = forecastContent.forecasts()[0] - nextOffset;
        double lastAdjusted = adjusted[w - 1];
        boolean naive = source.isNaive();
        double[] growth = calibration.growth(state);
        // With a season, steps 2..H carry step 1's adjusted forecast: iterating a one-step network over its own
        // forecasts compounds its steps in a series whose cycle is already out (electricity.taylor at step 48: RMSE
        // 6,491 iterated against 563 carried; the births a week ahead 396 and 414; docs/design.md, Horizons).
        boolean carry = state.season().hasSeason();
        for (int h = 2; h <= horizon; h++) {
            if (carry) {
                double offset = state.season().offsetAhead(state.lastTimestamp(), h);
                double adjustedStep = state.season().towardsLevel(path[w], h - 1);
                setStep(state, h - 1, adjustedStep + offset, halfWidth * growth[h]);
                continue;
            }
            double f = naive ? lastAdjusted : forecaster.features().isValueOnly()
                    ? forecaster.forecast(path, h - 1, state.level(), state.stepRms())
                    : forecaster.forecast(pathRow(forecaster, state, h - 1), 0, state.level(), state.stepRms());
            if (!naive && calibration.corrects() && Double.isFinite(f)) {
                f = state.correction().corrected(path, h - 1, state.level(), state.stepRms(), f);
            }
            if (!Double.isFinite(f)) {
                naive = true;
                f = lastAdjusted;
            }
            setStep(state, h - 1, f + state.season().offsetAhead(state.lastTimestamp(), h), halfWidth * growth[h]);
            if (h < horizon) {
                path[w + h - 1] = f;
            }
        }
    }

    /**
     * Step {@code index + 1}: its forecast f and its interval f -/+ halfWidth, the bounds drawn in to the sensor's
     * resolution (the same readings covered by a narrower interval: {@link ReadingResolution}).
     */
    private void setStep(SensorState state, int index, double forecast, double halfWidth) {
        forecastContent.step(index, forecast,
                state.resolution().snapLower(forecast - halfWidth, forecast, 2 * halfWidth),
                state.resolution().snapUpper(forecast + halfWidth, forecast, 2 * halfWidth));
    }

    /** The model for this id (in per-sensor scope falling back to the shared model), or null: forecast naively. */
    private Forecaster forecasterFor(String modelId) {
        ModelRegistry.Entry entry = registry.get(modelId);
        if (entry == null && settings.perSensor()) {
            modelId = settings.modelId();
            entry = registry.get(modelId);
        }
        if (entry == null) {
            return null;
        }
        ThreadModel cached = models.get(modelId);
        if (cached == null || cached.entry() != entry) {
            cached = new ThreadModel(entry, entry.prototype().copy());
            models.put(modelId, cached);
        }
        return cached.forecaster();
    }

    /** Sends the original key and bytes to the dead-letter topic, with headers saying why and where from. */
    private void deadLetter(Record<byte[], byte[]> record, RejectReason reason, String message) {
        metrics.recordRefused(reason);
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(DeadLetterHeaders.REASON, reason.code().getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.MESSAGE, message.getBytes(StandardCharsets.UTF_8));
        RecordMetadata source = context.recordMetadata().orElse(null);
        if (source != null) {
            headers.add(DeadLetterHeaders.TOPIC, source.topic().getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.PARTITION,
                    Integer.toString(source.partition()).getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.OFFSET, Long.toString(source.offset()).getBytes(StandardCharsets.UTF_8));
        }
        context.forward(new Record<>(record.key(), parser.deadLetterValue(record.value()), record.timestamp(), headers),
                StreamNames.DLQ_SINK);
    }
}
