package dev.streamcast.config;

import dev.streamcast.model.FeatureWidening;
import dev.streamcast.model.Features;
import dev.streamcast.model.LocalCorrection;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import dev.streamcast.model.TrainingOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The topology's settings, read and checked once from the configuration, so the processors work with typed,
 * valid values.
 *
 * @param maxGap       a silence longer than this restarts a sensor's window; null: never
 * @param maxFutureSkew a reading stamped further ahead of the wall clock is refused as {@code future}
 * @param architecture the model architecture the first model is trained from
 * @param historyLength scored readings kept per sensor for the ops API
 * @param samplesFlushMs how often a reading task sends its batch of training samples: the commit interval, so a crash
 *                      loses at most one commit interval's samples (see SampleBatch)
 * @param backlogCommitMs the commit interval Kafka Streams is given. The same as samplesFlushMs, except under
 *                      exactly-once with kafka.commit.interval.ms unset: {@value #BACKLOG_COMMIT_MS} ms, and the
 *                      reading tasks ask for a commit every samplesFlushMs while they are caught up
 *                      ({@link #commitsWhenCaughtUp})
 * @param floorReadings  forecast.floor.readings: the per-sensor floor's memory ({@code ForecastFloor}); 0 disables it
 * @param intervalLevel  forecast.interval.level: the coverage of the published intervals ({@code ErrorCalibration})
 * @param anomalyLevel   anomaly.level: a reading whose anomaly score reaches it is flagged as an anomaly
 * @param horizon        forecast.horizon: how many readings ahead each forecast reaches (1 to {@value #MAX_HORIZON})
 * @param correctionReadings forecast.correction.readings: the memory N, in readings, of each sensor's own correction
 *                      of the network's forecast ({@link LocalCorrection}); 0 disables it
 * @param seasonMaxBins  forecast.season.max-bins: the most profile bins a sensor's season keeps
 *                      ({@link dev.streamcast.model.SensorSeason}); 0 disables seasons
 * @param input          input.*: what a record of the readings topic holds ({@link InputMapping})
 * @param features       model.features: what each step of a window carries to the network ({@link Features}); the
 *                      architecture's input is widened to them
 */
public record ForecastSettings(Topics topics, int windowLength, Duration maxGap, double maxAbsValue,
                               Duration maxFutureSkew, boolean perSensor, String modelId, ModelDocument architecture,
                               Retrain retrain, int historyLength, long samplesFlushMs, long backlogCommitMs,
                               int floorReadings, double intervalLevel, double anomalyLevel, int horizon,
                               int correctionReadings, int seasonMaxBins, InputMapping input, Features features) {

    /** A model id is the models topic's record key: held to the length of a sensor id, the readings' key. */
    private static final int MAX_MODEL_ID_LENGTH = 256;

    /** The commit interval under exactly-once when kafka.commit.interval.ms is unset: when forecasts become visible. */
    public static final long EXACTLY_ONCE_COMMIT_MS = 100;
    /**
     * The commit interval under at_least_once when kafka.commit.interval.ms is unset. Forecasts are visible as they are
     * sent, so committing often buys nothing there, and each commit stalls the stream thread: it writes out every
     * sensor state changed since the last one (at 5,000 readings/s over 1,000 sensors, all of them), compressed, and
     * waits for the broker's acknowledgement while readings queue. bench e2e's latency spikes came once per commit:
     * at 1 s the stalls held up several percent of the readings, so they made the p99; at 5 s half as many readings
     * were held up and the p99 fell, side by side (BENCHMARKS.md), while each sensor's state is written a fifth as
     * often at a steady rate. Not Kafka Streams' 30 s: the training samples' batches go at the commit interval, and a
     * crash reprocesses what followed the last commit (forecast twice).
     */
    public static final long AT_LEAST_ONCE_COMMIT_MS = 5000;
    /**
     * The commit interval under exactly-once, kafka.commit.interval.ms unset, while the stream is behind: its readings
     * were written more than {@link #CAUGHT_UP_MS} ms before it processes them (a backlog, a replay, a restart). Every
     * commit is a transaction: its markers on each partition written, every sensor state changed since the last one
     * flushed and logged, the producer drained. Draining 3,000,000 readings over 1,000 sensors, committing every 1,000
     * ms instead of 100 ran at 48,400 readings/s against 35,600, with about a third less CPU per reading for the
     * service and the broker and a quarter fewer bytes on disk (BENCHMARKS.md). A forecast whose reading was already
     * over a second old when processed becomes visible up to a second later; a caught-up stream commits every
     * {@value #EXACTLY_ONCE_COMMIT_MS} ms as before, so the latency of fresh readings does not change.
     */
    public static final long BACKLOG_COMMIT_MS = 1000;
    /** A reading task is caught up while the last record it processed was written at most this long ago. */
    public static final long CAUGHT_UP_MS = 1000;

    /** The longest forecast.horizon: a sensor's state keeps about 24 H^2 bytes of pending forecasts. */
    public static final int MAX_HORIZON = 48;

    /**
     * @param bufferSize   samples kept per model id
     * @param everySamples retrain after this many new samples...
     * @param every        ...or this much wall-clock time, whichever comes first
     * @param minSamples   only once the buffer holds this many
     * @param holdout      the most recent fraction of the buffer used to score challenger and champion
     */
    public record Retrain(int bufferSize, int everySamples, Duration every, int minSamples, double holdout,
                          TrainingOptions options) {
    }

    public static ForecastSettings from(StreamcastConfig config) {
        int windowLength = config.getInt("window.length", 1, 1000);
        if (config.getDuration("input.max-future-skew") == null) {
            throw new ConfigException("input.max-future-skew: expected a duration such as 1h");
        }
        String scope = config.get("model.scope");
        if (!scope.equals("global") && !scope.equals("per-sensor")) {
            throw new ConfigException("model.scope: expected global or per-sensor, got '" + scope + "'");
        }
        String modelId = config.get("model.id");
        if (modelId.isEmpty() || modelId.length() > MAX_MODEL_ID_LENGTH) {
            throw new ConfigException("model.id: expected 1 to " + MAX_MODEL_ID_LENGTH + " characters");
        }
        Features features;
        try {
            features = Features.parse(config.get("model.features"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("model.features: " + e.getMessage(), e);
        }
        ModelDocument architecture = widen(readArchitecture(config.get("model.architecture")), features,
                config.get("model.architecture"));
        int architectureWindow = ModelCodec.toForecaster(architecture, 0).windowLength();
        if (architectureWindow != windowLength) {
            throw new ConfigException("model.architecture: its input length " + architectureWindow
                    + " differs from window.length " + windowLength);
        }
        int bufferSize = config.getInt("retrain.buffer.size", 10, 10_000_000);
        int minSamples = config.getInt("retrain.min.samples", 2, bufferSize);
        Duration every = config.getDuration("retrain.every");
        if (every == null) {
            throw new ConfigException("retrain.every: expected a duration such as 10m");
        }
        TrainingOptions options;
        try {
            options = new TrainingOptions(config.getInt("retrain.epochs", 1, 100_000),
                    config.getInt("retrain.batch-size", 1, 100_000), true, Long.parseLong(config.get("retrain.seed")),
                    config.getDouble("retrain.learning-rate", 1e-9, 10), 0.0, 0,
                    config.getDouble("retrain.clip-norm", 0, 1e9));
        } catch (NumberFormatException e) {
            throw new ConfigException("retrain.seed: expected an integer, got '" + config.get("retrain.seed") + "'");
        }
        Retrain retrain = new Retrain(bufferSize, config.getInt("retrain.every.samples", 1, Integer.MAX_VALUE), every,
                minSamples, config.getDouble("retrain.holdout", 0.01, 0.9), options);
        return new ForecastSettings(Topics.from(config), windowLength, config.getDuration("window.max-gap"),
                config.getDouble("input.max-abs-value", Double.MIN_VALUE, Double.MAX_VALUE),
                config.getDuration("input.max-future-skew"), scope.equals("per-sensor"),
                modelId, architecture, retrain, config.getInt("sensor.history.length", 0, 1000),
                commitIntervalMs(config), kafkaCommitIntervalMs(config), config.getInt("forecast.floor.readings", 0,
                1_000_000),
                config.getDouble("forecast.interval.level", 0.01, 0.999),
                config.getDouble("anomaly.level", 0.5, 0.99999), config.getInt("forecast.horizon", 1, MAX_HORIZON),
                config.getInt("forecast.correction.readings", 0, 1_000_000_000),
                config.getInt("forecast.season.max-bins", 0, 10_000), InputMapping.from(config), features);
    }

    /**
     * The architecture with its input widened to model.features ({@link FeatureWidening}): config/model.json stays
     * the seed's layers, of one value per step.
     */
    private static ModelDocument widen(ModelDocument architecture, Features features, String location) {
        try {
            ModelDocument widened = FeatureWidening.widen(architecture, features);
            ModelCodec.toForecaster(widened, 0);
            return widened;
        } catch (ModelFormatException e) {
            throw new ConfigException("model.architecture: " + location + ": " + e.getMessage() + " (model.features "
                    + features + ")", e);
        }
    }

    /**
     * kafka.commit.interval.ms, or when unset the guarantee's: {@value #EXACTLY_ONCE_COMMIT_MS} ms under exactly-once
     * (Kafka Streams' own), {@value #AT_LEAST_ONCE_COMMIT_MS} ms under at_least_once. The service gives Kafka Streams
     * this value, so the samples' batches and the commits keep one pace.
     */
    private static long commitIntervalMs(StreamcastConfig config) {
        if (config.isSet("kafka.commit.interval.ms")) {
            return config.getInt("kafka.commit.interval.ms", 1, Integer.MAX_VALUE);
        }
        boolean exactlyOnce = !config.isSet("kafka.processing.guarantee")
                || config.get("kafka.processing.guarantee").startsWith("exactly_once");
        return exactlyOnce ? EXACTLY_ONCE_COMMIT_MS : AT_LEAST_ONCE_COMMIT_MS;
    }

    /** What Kafka Streams' commit.interval.ms is given ({@link #backlogCommitMs}). */
    private static long kafkaCommitIntervalMs(StreamcastConfig config) {
        long interval = commitIntervalMs(config);
        boolean unset = !config.isSet("kafka.commit.interval.ms");
        return unset && interval == EXACTLY_ONCE_COMMIT_MS ? BACKLOG_COMMIT_MS : interval;
    }

    /**
     * Whether the reading tasks ask Kafka Streams for a commit every {@link #samplesFlushMs} while caught up, its own
     * commit interval being the longer {@link #backlogCommitMs}.
     */
    public boolean commitsWhenCaughtUp() {
        return backlogCommitMs > samplesFlushMs;
    }

    /** The architecture file; the default path falls back to the copy bundled in the jar. */
    private static ModelDocument readArchitecture(String location) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(location));
        } catch (NoSuchFileException e) {
            if (!location.equals("config/model.json")) {
                throw new ConfigException("model.architecture: " + location + ": no such file");
            }
            try (InputStream in = ForecastSettings.class.getResourceAsStream("/config/model.json")) {
                bytes = in.readAllBytes();
            } catch (IOException | NullPointerException e2) {
                throw new ConfigException("model.architecture: the bundled config/model.json cannot be read", e2);
            }
        } catch (IOException e) {
            throw new ConfigException("model.architecture: " + location + ": cannot read: " + e.getMessage(), e);
        }
        try {
            ModelDocument doc = ModelCodec.parse(bytes);
            ModelCodec.toForecaster(doc, 0);
            return doc;
        } catch (ModelFormatException e) {
            throw new ConfigException("model.architecture: " + location + ": " + e.getMessage(), e);
        }
    }

    /** The local correction's forgetting factor ({@link LocalCorrection#forgetting}); 0: the correction is off. */
    public double correctionForgetting() {
        return LocalCorrection.forgetting(correctionReadings);
    }

    /** The model a sensor's readings train: its own in per-sensor scope, otherwise the shared one. */
    public String modelIdFor(String sensorId) {
        return perSensor ? sensorId : modelId;
    }
}
