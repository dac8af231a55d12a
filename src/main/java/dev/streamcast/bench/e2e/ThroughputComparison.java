package dev.streamcast.bench.e2e;

import dev.streamcast.bench.e2e.DrainTimer.Drained;
import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.stream.StreamNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The throughput comparison: the same preloaded readings drained by a passthrough topology (copy each reading to
 * an output topic), by the service's data flow without its work ({@link DataFlow}), then by the forecasting service,
 * each with the service's own Kafka Streams properties (another application id) and the guarantee
 * {@link EndToEndResult#THROUGHPUT_GUARANTEE}. The baselines tell how much of the service's cost is Kafka's
 * and how much is its own work.
 */
final class ThroughputComparison {

    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkLog.NAME);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** The JIT's share of the forecasting drain's CPU below which a warm-up round counts as a steady state. */
    static final double STEADY_JIT_SHARE = 0.1;
    /** Unmeasured rounds at most, however much the JIT still compiles. */
    static final int MAX_WARMUP_ROUNDS = 3;
    /** Readings per sensor of the daily-cycle drain: 41 days of hourly readings. */
    static final long DAILY_READINGS_PER_SENSOR = 1_000;

    /**
     * The drains of one round; the records the forecasting service wrote per reading, changelogs included, and the
     * bytes they take in the broker's log directory per reading (both NaN for an unmeasured round); and the round's
     * readings topic, which the pace drain reads again.
     */
    record Result(Drained passthrough, Drained dataFlow, Drained forecasting, double recordsPerReading,
                  double bytesPerReading, String readingsTopic) {
    }

    private final BenchmarkSetup setup;
    private final DrainTimer timer;
    private final Readings readings;
    /** By measurement: the share of the machine's CPU other processes took meanwhile. */
    private final Map<String, Double> otherCpuShare;

    ThroughputComparison(BenchmarkSetup setup, DrainTimer timer, Readings readings,
                         Map<String, Double> otherCpuShare) {
        this.setup = setup;
        this.timer = timer;
        this.readings = readings;
        this.otherCpuShare = otherCpuShare;
    }

    /**
     * Returns the drains of the passthrough, the data flow and the forecasting service. Unmeasured rounds come first,
     * each on topics of its own, so that the measured round compares steady states rather than the JIT's warm-up: a
     * long-running service compiles its code (and Kafka's, which is most of what is compiled: the consumer, the
     * producer, the state stores, and here the broker in the same JVM) once. A round's readings come from
     * proportionally fewer sensors, so that each sensor gets as many readings as in the measured round and the paths
     * of a sensor with a long history (its own calibration set, a full scored history) are compiled too. Rounds
     * follow one another until the forecasting drain's JIT share of its CPU falls below
     * {@value #STEADY_JIT_SHARE} (at most {@value #MAX_WARMUP_ROUNDS} rounds). Why: after a round of a tenth of the
     * readings the compiler still took 13-17 us of the forecasting drain's CPU per reading (a third), and the code not
     * yet compiled ran slower meanwhile; after one round as long as the measured one it still took 4 of 21 us; by the
     * third of three 300,000-reading rounds in one JVM it took under 1 us, and the forecasting drain's CPU per reading
     * had fallen from 48 to 17 us (BENCHMARKS.md).
     */
    Result measure(Path model) throws InterruptedException {
        EndToEndSettings s = setup.settings();
        if (s.warmupReadings() > 0) {
            int warmupSensors = (int) Math.max(1, Math.round((double) s.sensors() * s.warmupReadings() / s.readings()));
            for (int round = 1; round <= MAX_WARMUP_ROUNDS; round++) {
                Drained forecasting = round("throughput-warmup-" + round, model, s.warmupReadings(), false,
                        new Readings(warmupSensors)).forecasting();
                LOG.info("warm-up round {}: the JIT compiler took {} % of the forecasting drain's CPU", round,
                        Math.round(100 * jitShare(forecasting)));
                if (isSteady(forecasting)) {
                    break;
                }
            }
        }
        return measuredRound("throughput", model);
    }

    /**
     * One measured round of {@link #measure}'s on topics named after {@code run}, with no warm-up before it: for
     * comparing settings side by side in one warmed-up JVM (SettingsComparison, in the tests).
     */
    Result measuredRound(String run, Path model) throws InterruptedException {
        return round(run, model, setup.settings().readings(), true, readings);
    }

    /**
     * Whether a warm-up drain ran compiled code: the JIT took under {@value #STEADY_JIT_SHARE} of its CPU, or its
     * share is unknown (no per-thread accounting: another round would not tell more).
     */
    static boolean isSteady(Drained drain) {
        return !(jitShare(drain) >= STEADY_JIT_SHARE);
    }

    /** The share of a drain's CPU the JIT compiler's threads took (NaN where it is not measured). */
    private static double jitShare(Drained drain) {
        return drain.jitCpuUsPerReading() / drain.cpuUsPerReading();
    }

    private Result round(String run, Path model, long count, boolean measured, Readings readings)
            throws InterruptedException {
        StreamcastConfig config = setup.serviceConfig(run, EndToEndResult.THROUGHPUT_GUARANTEE, model);
        Topics topics = Topics.from(config);
        String copies = run + "-passthrough-copies";
        setup.createTopics(topics.readings(), copies, run + "-data-flow-forecasts", run + "-data-flow-accuracy",
                run + "-data-flow-samples");
        Preload.produce(setup.clientProperties(), topics.readings(), readings, count);
        Map<TopicPartition, Long> ends = Drain.endOffsets(setup.admin(), topics.readings());
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        if (total != count) {
            throw new IllegalStateException("the readings topic " + topics.readings() + " holds " + total
                    + " records, expected " + count);
        }
        Duration drainTimeout = Duration.ofSeconds(120 + count / 2_000);
        try (StreamcastService service = new StreamcastService(config)) {
            // The service's own Kafka Streams properties (guarantee, commit interval, isolation level...), so the
            // two topologies differ only in what they do with a reading.
            Properties props = service.streamsProperties();
            String passthroughId = config.get("kafka.application.id") + "-passthrough";
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, passthroughId);
            Drained passthroughDrain = drainBaseline(measured ? "passthrough" : "passthrough warm-up", props,
                    passthroughId, Passthrough.build(topics.readings(), copies), ends, null, drainTimeout);
            String dataFlowId = config.get("kafka.application.id") + "-data-flow";
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, dataFlowId);
            String dataFlowSamples = run + "-data-flow-samples";
            Drained dataFlowDrain = drainBaseline(measured ? "data flow" : "data flow warm-up", props, dataFlowId,
                    DataFlow.build(topics.readings(), run + "-data-flow-forecasts", run + "-data-flow-accuracy",
                            dataFlowSamples, config.get("model.id"), ForecastSettings.from(config).samplesFlushMs()),
                    ends, dataFlowSamples, drainTimeout);
            service.start();
            Drained forecastDrain = timer.time(measured ? "forecasting" : "forecasting warm-up", service.streams(),
                    config.get("kafka.application.id"), ends, topics.samples(), BenchmarkSetup.trainerGroup(config),
                    drainTimeout);
            double recordsPerReading = Double.NaN;
            double bytesPerReading = Double.NaN;
            if (measured) {
                otherCpuShare.put("passthrough", passthroughDrain.otherCpuShare());
                otherCpuShare.put("data flow", dataFlowDrain.otherCpuShare());
                otherCpuShare.put("forecasting", forecastDrain.otherCpuShare());
                List<String> written = writtenTopics(topics, config.get("kafka.application.id"));
                recordsPerReading = logRecordsWritten(count, written, copies);
                bytesPerReading = logBytesWritten(count, written);
            }
            return new Result(passthroughDrain, dataFlowDrain, forecastDrain, recordsPerReading, bytesPerReading,
                    topics.readings());
        }
    }

    /**
     * The forecasting service alone on readings with a daily cycle ({@link Readings#daily}): hourly readings, as many
     * per sensor as the measured round gives each of its sensors, over a tenth as many sensors when the round has
     * under 1,000 readings per sensor (so that the day is found: from the third day on a sensor compares its
     * forecasts with and without it). The first days of each sensor run the seasonless path while its season is
     * learned; the rest run the seasonal one. The season changes the service counted say how many sensors took it.
     */
    EndToEndResult.Seasonal measureDaily(Path model) throws InterruptedException {
        EndToEndSettings s = setup.settings();
        int sensors = (int) Math.max(1, Math.min(s.sensors(), s.readings() / DAILY_READINGS_PER_SENSOR));
        long count = s.readings();
        StreamcastConfig config = setup.serviceConfig("daily", EndToEndResult.THROUGHPUT_GUARANTEE, model);
        Topics topics = Topics.from(config);
        setup.createTopics(topics.readings());
        Preload.produce(setup.clientProperties(), topics.readings(), Readings.daily(sensors), count);
        Map<TopicPartition, Long> ends = Drain.endOffsets(setup.admin(), topics.readings());
        try (StreamcastService service = new StreamcastService(config)) {
            service.start();
            Drained drain = timer.time("forecasting, daily cycle", service.streams(),
                    config.get("kafka.application.id"), ends, topics.samples(), BenchmarkSetup.trainerGroup(config),
                    Duration.ofSeconds(120 + count / 2_000));
            otherCpuShare.put("daily cycle", drain.otherCpuShare());
            long seasons = service.metrics().seasonChanges();
            LOG.info("daily cycle: {} sensors, {} season changes, {} us of CPU per reading", sensors, seasons,
                    String.format(Locale.ROOT, "%.1f", drain.cpuUsPerReading()));
            return new EndToEndResult.Seasonal(sensors, drain.rps(), drain.cpuUsPerReading(), seasons);
        }
    }

    /** Runs one of the baseline topologies on {@code props} until it has drained the readings, then closes it. */
    private Drained drainBaseline(String name, Properties props, String applicationId, Topology topology,
                                Map<TopicPartition, Long> ends, String samplesTopic, Duration timeout)
            throws InterruptedException {
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("the {} topology failed", name, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        try {
            streams.start();
            return timer.time(name, streams, applicationId, ends, samplesTopic, applicationId, timeout);
        } finally {
            streams.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    /** Every topic the forecasting service writes per reading: its outputs and its stores' changelogs. */
    private static List<String> writtenTopics(Topics topics, String applicationId) {
        List<String> written = new ArrayList<>(topics.all());
        written.remove(topics.readings());
        written.remove(topics.models());
        // Kafka Streams names a store's changelog <application.id>-<store>-changelog.
        written.add(applicationId + "-" + StreamNames.SENSOR_STORE + "-changelog");
        written.add(applicationId + StreamNames.TRAINER_APPLICATION_SUFFIX + "-" + StreamNames.BUFFER_STORE
                + "-changelog");
        return written;
    }

    /**
     * Logs the records each topology wrote per reading, by topic (changelogs included): the broker's share of the
     * cost, which runs in this JVM and on the same cores. Under exactly_once_v2 the counts include a transaction
     * marker per partition and commit.
     */
    private double logRecordsWritten(long count, List<String> written, String copies) {
        Map<String, Double> perReading = new TreeMap<>();
        for (String name : written) {
            perReading.put(name, recordsIn(name) / (double) count);
        }
        LOG.info("records written per reading: passthrough {}; forecasting {} in all: {}",
                String.format(Locale.ROOT, "%.2f", recordsIn(copies) / (double) count),
                String.format(Locale.ROOT, "%.2f", perReading.values().stream().mapToDouble(d -> d).sum()),
                perReading.entrySet().stream().map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f",
                        e.getValue())).toList());
        return perReading.values().stream().mapToDouble(d -> d).sum();
    }

    /**
     * Logs the bytes the forecasting service's topics take in the broker's log directory per reading, by topic: what
     * the producers' compression decides, and what a broker stores and every consumer of the outputs reads.
     */
    private double logBytesWritten(long count, List<String> written) {
        Map<String, Long> bytes = LogSizes.bytesOnDisk(setup.admin(), written);
        long total = bytes.values().stream().mapToLong(Long::longValue).sum();
        LOG.info("bytes on disk per reading: forecasting {} in all: {}", total / count, bytes.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue() / count).toList());
        return total / (double) count;
    }

    private long recordsIn(String topic) {
        return Drain.endOffsets(setup.admin(), topic).values().stream().mapToLong(Long::longValue).sum();
    }
}
