package dev.streamcast.backtest;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.InputMapping;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.service.InitialModel;
import dev.streamcast.service.StreamsProperties;
import dev.streamcast.service.TemporaryDirectories;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.stream.StreamMetrics;
import dev.streamcast.stream.StreamcastTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Replays a history of readings through the service's own topology ({@link StreamcastTopology#build}) in
 * process, in Kafka's {@link TopologyTestDriver}, and scores the forecasts it publishes per series.
 *
 * <p>Readings go in timestamp order (ties in file order). Retraining follows the service's sample schedule
 * ({@code retrain.every.samples}, {@code retrain.min.samples}) and gate, on a direct executor: a retraining runs
 * inside the record or punctuation that started it, while stream time stands still, so a backtest gives the same
 * result for the same seed every time. The wall-clock trigger {@code retrain.every} does not apply: the driver's
 * wall clock only stands in for the commit interval between readings (see {@link #run}).
 *
 * <p>Forecasts and accuracy are read back from their topics as JSON, as a user's consumer would; the retraining
 * decisions come from the {@link ModelRegistry}'s recorded runs, the published models from the models topic.
 */
public final class Backtest {

    /** Large enough that the wall-clock retraining trigger never fires in a backtest (100 years). */
    static final String NO_WALL_CLOCK_RETRAINING = "36500d";
    private static final int PROGRESS_STEPS = 10;

    private final StreamcastConfig config;
    private final double scoreFrom;
    private final int spikesPerSeries;
    private final Consumer<String> progress;

    /**
     * @param config    the service's configuration; {@code retrain.every} is ignored
     * @param scoreFrom forecasts of readings from this fraction of each series on are scored, in [0, 1)
     * @param progress  receives a line at each tenth of the readings
     */
    public Backtest(StreamcastConfig config, double scoreFrom, Consumer<String> progress) {
        this(config, scoreFrom, 0, progress);
    }

    /**
     * @param spikesPerSeries spikes injected into each series' scored part ({@link SpikeInjection}); 0: none
     */
    public Backtest(StreamcastConfig config, double scoreFrom, int spikesPerSeries, Consumer<String> progress) {
        if (spikesPerSeries < 0) {
            throw new IllegalArgumentException("spikes: expected 0 or more per series, got " + spikesPerSeries);
        }
        this.spikesPerSeries = spikesPerSeries;
        if (!(scoreFrom >= 0 && scoreFrom < 1)) {
            throw new IllegalArgumentException("scoreFrom: expected a fraction in [0, 1), got " + scoreFrom);
        }
        // The backtest writes the auto format itself, whatever input.format the service reads.
        this.config = InputMapping.autoFormat(config).with("retrain.every", NO_WALL_CLOCK_RETRAINING);
        this.scoreFrom = scoreFrom;
        this.progress = progress;
    }

    /** Replays {@code readings} (any order; replayed in timestamp order) and scores each series. */
    public BacktestReport run(List<SensorReading> original) {
        if (original.isEmpty()) {
            throw new IllegalArgumentException("no readings to replay");
        }
        ForecastSettings settings = ForecastSettings.from(config);
        SpikeInjection spikes = SpikeInjection.inject(original, scoreFrom, spikesPerSeries);
        List<SensorReading> readings = spikes.readings();
        // The wall-clock time between two readings in the replay: one commit interval (kafka.commit.interval.ms, or
        // the guarantee's), so every reading's training sample is sent before the next reading.
        long commitIntervalMs = settings.samplesFlushMs();
        List<SensorReading> ordered = SensorReading.inTimestampOrder(readings);
        ForecastScoring scoring = new ForecastScoring(readings, scoreFrom, settings.intervalLevel(), spikes);
        ModelRegistry registry = new ModelRegistry();
        Path stateDir = createStateDirectory();
        long latest = ordered.get(ordered.size() - 1).timestamp();
        // No reading may count as "future" (input.max-future-skew is measured against the wall clock).
        Instant wallClock = Instant.ofEpochMilli(Math.max(System.currentTimeMillis(), latest));
        List<BacktestReport.Retraining> retrainings = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(
                StreamcastTopology.build(settings, registry, new StreamMetrics(), Runnable::run),
                driverProperties(settings, stateDir), wallClock)) {
            Outputs outputs = new Outputs(driver, settings.topics());
            publishInitialModel(outputs.models, settings);
            RunLog runs = new RunLog(registry);
            TestInputTopic<String, byte[]> input = driver.createInputTopic(settings.topics().readings(),
                    new StringSerializer(), new ByteArraySerializer());
            long started = System.nanoTime();
            int reported = 0;
            for (int i = 0; i < ordered.size(); i++) {
                SensorReading reading = ordered.get(i);
                input.pipeInput(reading.sensorId(), reading.toJson(), reading.timestamp());
                // Each reading is its own commit interval: wall-clock punctuations (the trainer's clock, batched
                // training samples) fire between readings as they would in the service at one reading per commit.
                driver.advanceWallClockTime(Duration.ofMillis(commitIntervalMs));
                outputs.drainInto(scoring);
                runs.collectNew(reading.timestamp(), retrainings);
                // A line at each tenth of the readings.
                int tenth = (int) ((long) PROGRESS_STEPS * (i + 1) / ordered.size());
                if (tenth > reported) {
                    reported = tenth;
                    progress.accept(String.format("%,d/%,d readings (%d%%), stream time %s, %d retrainings, %.1f s",
                            i + 1, ordered.size(), (int) (100L * (i + 1) / ordered.size()),
                            Instant.ofEpochMilli(reading.timestamp()), retrainings.size(),
                            (System.nanoTime() - started) / 1e9));
                }
            }
        } finally {
            TemporaryDirectories.delete(stateDir, "the backtest's state directory");
        }
        return scoring.report(retrainings);
    }

    /** The service's Kafka Streams properties (exception handlers included), in a state directory of its own. */
    private Properties driverProperties(ForecastSettings settings, Path stateDir) {
        Properties props = StreamsProperties.forecasting(config, settings);
        // The driver connects to nothing; Kafka Streams only insists that the key is there.
        props.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "backtest.invalid:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }

    /**
     * model.initial, by the service's rule: the first version of model.id on the models topic. Its creation time,
     * when the file has none, is fixed, so that a backtest's report does not change from run to run.
     */
    private void publishInitialModel(TestInputTopic<String, byte[]> models, ForecastSettings settings) {
        Forecaster initial = InitialModel.read(config, settings);
        if (initial != null) {
            Forecaster first = InitialModel.firstVersion(initial, settings, "1970-01-01T00:00:00Z");
            models.pipeInput(settings.modelId(), ModelCodec.encode(first));
        }
    }

    private static Path createStateDirectory() {
        try {
            return Files.createTempDirectory("streamcast-backtest-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the backtest", e);
        }
    }

    /** The topology's output topics as a consumer reads them. */
    private static final class Outputs {
        final TestInputTopic<String, byte[]> models;
        final TestOutputTopic<String, String> forecasts;
        final TestOutputTopic<String, String> accuracy;
        final TestOutputTopic<String, byte[]> dlq;
        // Read only so the driver does not keep every record written to them.
        final TestOutputTopic<byte[], byte[]> samples;
        final TestOutputTopic<byte[], byte[]> modelsOut;

        Outputs(TopologyTestDriver driver, Topics topics) {
            models = driver.createInputTopic(topics.models(), new StringSerializer(), new ByteArraySerializer());
            forecasts = driver.createOutputTopic(topics.forecasts(), new StringDeserializer(),
                    new StringDeserializer());
            accuracy = driver.createOutputTopic(topics.accuracy(), new StringDeserializer(), new StringDeserializer());
            dlq = driver.createOutputTopic(topics.dlq(), new StringDeserializer(), new ByteArrayDeserializer());
            samples = driver.createOutputTopic(topics.samples(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            modelsOut = driver.createOutputTopic(topics.models(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
        }

        /** Hands every new forecast, accuracy and dead-letter record to the scoring. */
        void drainInto(ForecastScoring scoring) {
            for (TestRecord<String, String> r : accuracy.readRecordsToList()) {
                scoring.onAccuracy(ofReplayedSensor(scoring, r.key()), r.value());
            }
            for (TestRecord<String, String> r : forecasts.readRecordsToList()) {
                scoring.onForecast(ofReplayedSensor(scoring, r.key()), r.value());
            }
            for (TestRecord<String, byte[]> r : dlq.readRecordsToList()) {
                if (r.key() != null && scoring.covers(r.key())) {
                    scoring.onRefused(r.key());
                }
            }
            if (!samples.isEmpty()) {
                samples.readRecordsToList();
            }
            if (!modelsOut.isEmpty()) {
                modelsOut.readRecordsToList();
            }
        }

        private static String ofReplayedSensor(ForecastScoring scoring, String key) {
            if (!scoring.covers(key)) {
                throw new IllegalStateException("the topology published a record for sensor '" + key
                        + "', which is not in the replayed file");
            }
            return key;
        }
    }

    /** The registry's recorded retraining runs, each taken once, with the stream time at which it was seen. */
    private static final class RunLog {
        private final ModelRegistry registry;
        private ChallengerTrainer.Outcome newestSeen;

        RunLog(ModelRegistry registry) {
            this.registry = registry;
        }

        void collectNew(long streamTime, List<BacktestReport.Retraining> into) {
            List<ChallengerTrainer.Outcome> runs = registry.runs(); // newest first
            List<ChallengerTrainer.Outcome> fresh = new ArrayList<>();
            for (ChallengerTrainer.Outcome run : runs) {
                if (run == newestSeen) {
                    break;
                }
                fresh.add(run);
            }
            if (fresh.isEmpty()) {
                return;
            }
            newestSeen = runs.get(0);
            for (int i = fresh.size() - 1; i >= 0; i--) {
                into.add(retraining(streamTime, fresh.get(i)));
            }
        }

        private static BacktestReport.Retraining retraining(long streamTime, ChallengerTrainer.Outcome o) {
            String outcome = o.accepted() ? "accepted" : o.reason().startsWith("failed") ? "failed" : "rejected";
            long version = o.accepted() ? o.model().version() : o.championVersion();
            return new BacktestReport.Retraining(Instant.ofEpochMilli(streamTime).toString(), o.modelId(), outcome,
                    version, o.trainingSamples() + o.holdoutSamples(), o.trainingSamples(), o.holdoutSamples(),
                    finite(o.challengerRmse()), finite(o.championRmse()), finite(o.naiveRmse()), o.reason());
        }

        private static Double finite(double value) {
            return Double.isFinite(value) ? value : null;
        }
    }
}
