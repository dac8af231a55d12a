package dev.streamcast.bench.e2e;

import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.stream.ForecastSettings;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.stream.StreamMetrics;
import dev.streamcast.stream.StreamcastConfig;
import dev.streamcast.stream.StreamcastService;
import dev.streamcast.stream.StreamcastTopology;
import dev.streamcast.stream.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end benchmark behind {@code streamcast bench e2e}: the real forecasting service
 * ({@link StreamcastService}, as users deploy it) against the embedded broker, in this JVM.
 *
 * <ol>
 *   <li>Throughput: the readings are preloaded once; a passthrough topology (copy each reading to an output topic)
 *       drains them, then the service's data flow without its work ({@link DataFlow}), then the forecasting
 *       service, each with the same Kafka Streams properties (the service's own, another application id) and the
 *       same guarantee ({@link #THROUGHPUT_GUARANTEE}, the service's default).
 *       A drain is timed from the moment the first stream thread has its partitions (so start-up, which does not
 *       depend on the load, is left out for all three) until its committed offsets reach the input's end offsets
 *       ({@link Drain} says why that is correct under exactly_once_v2), and for the forecasting service
 *       until its trainer has also consumed the training samples. An unmeasured round on a tenth of the readings
 *       warms the JIT up for both first.</li>
 *   <li>Pace: the same preloaded readings drained once more by a fresh service with no initial model and
 *       retrain.every.samples = {@value #PACE_EVERY_SAMPLES}, so retraining runs through the drain: how late
 *       retrainings start against the stream's position, and the share of forecasts a trained model made.</li>
 *   <li>Latency, for at_least_once and then exactly_once_v2, each on a fresh service and topics: readings at a
 *       fixed rate ({@link PacedProducer}); after a warm-up, forecasts are timed for a while with no
 *       retraining, then while retrainings run back to back ({@link LatencyProbe}).</li>
 * </ol>
 *
 * <p>Both topologies forecast with a model from the first reading on: an LSTM of the configured architecture
 * (config/model.json) is published as model.initial, so every forecast goes through the network, not the naive
 * path. Automatic retraining is off (retrain.every.samples and retrain.every out of reach): the throughput run
 * measures the topology alone, and the latency runs decide themselves when a retraining runs, through
 * {@link ModelRegistry#requestRetrain}, as {@code POST /api/models/{id}/retrain} does. Everything the benchmark
 * starts (broker, streams, clients, threads) is closed and its temporary directory deleted before it returns.
 */
public final class EndToEndBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(EndToEndBenchmark.class);

    /** The guarantee of the throughput comparison: the service's default. */
    public static final String THROUGHPUT_GUARANTEE = EndToEndResult.EXACTLY_ONCE_V2;
    private static final String[] TOPIC_KEYS = {"topics.readings", "topics.forecasts", "topics.accuracy",
        "topics.samples", "topics.models", "topics.dlq"};
    private static final long INITIAL_MODEL_SEED = 42;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** The longest one retraining may take before the run is declared failed. */
    private static final Duration RETRAIN_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** The pace drain's retrain.every.samples. */
    static final int PACE_EVERY_SAMPLES = 20_000;

    private final EndToEndSettings settings;
    private final String bootstrap;
    private final Admin admin;
    private final Path work;
    private final Readings readings;
    private final CpuMonitor cpu;
    /** By measurement: the share of the machine's CPU other processes took meanwhile. */
    private final Map<String, Double> otherCpuShare = new LinkedHashMap<>();
    /** Records the forecasting service wrote per reading in the measured throughput drain, changelogs included. */
    private double recordsPerReading = Double.NaN;
    /** The measured round's readings topic, which the pace drain reads again. */
    private String measuredReadings;

    /**
     * Readings per second: whole topology; until the readings alone were answered; CPU microseconds this JVM spent
     * per reading; and the share of the CPU other processes took meanwhile.
     */
    private record Drained(double rps, double readingsRps, double cpuUsPerReading, double otherCpuShare) {
    }

    private EndToEndBenchmark(EndToEndSettings settings, String bootstrap, Admin admin, Path work,
                              CpuMonitor cpu) {
        this.settings = settings;
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.work = work;
        this.cpu = cpu;
        this.readings = new Readings(settings.sensors());
    }

    /**
     * Runs the whole benchmark on an embedded broker of its own (on a free port, in a temporary directory).
     *
     * @throws IllegalStateException if a part of the run fails or times out
     */
    public static EndToEndResult run(EndToEndSettings settings) {
        Path work;
        try {
            work = Files.createTempDirectory("streamcast-e2e-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the benchmark", e);
        }
        try {
            LOG.info("end-to-end benchmark: {} (working in {})", settings, work);
            try (CpuMonitor cpu = CpuMonitor.start();
                 EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(work.resolve("broker")).port(0).start();
                 Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                         broker.bootstrapServers()))) {
                return new EndToEndBenchmark(settings, broker.bootstrapServers(), admin, work, cpu).measure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the end-to-end benchmark was interrupted", e);
        } finally {
            deleteRecursively(work);
        }
    }

    private EndToEndResult measure() throws InterruptedException {
        Path model = writeInitialModel();
        Drained[] throughput = measureThroughput(model);
        EndToEndResult.Pace pace = measurePace();
        List<EndToEndResult.Latency> latencies = new ArrayList<>();
        latencies.add(measureLatency(EndToEndResult.AT_LEAST_ONCE, model));
        latencies.add(measureLatency(EndToEndResult.EXACTLY_ONCE_V2, model));
        EndToEndResult result = new EndToEndResult(settings, THROUGHPUT_GUARANTEE, throughput[0].rps(),
                throughput[1].rps(), throughput[2].rps(), throughput[2].readingsRps(), throughput[0].cpuUsPerReading(),
                throughput[1].cpuUsPerReading(), throughput[2].cpuUsPerReading(), recordsPerReading, pace, latencies,
                otherCpuShare);
        if (result.maxOtherCpuShare() > EndToEndResult.DISTURBED_CPU_SHARE) {
            LOG.warn("other processes used up to {}% of the machine's CPU while the benchmark measured ({}); the "
                    + "figures understate the service: run it again on a quiet machine",
                    Math.round(100 * result.maxOtherCpuShare()), otherCpuShare);
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Throughput
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Returns the drains of the passthrough and of the forecasting service. An unmeasured round (a tenth of the
     * readings) comes first, on topics of its own: it compiles both topologies' code paths (the JIT took a third of
     * a core during a cold drain), so the measured round compares steady states rather than warm-ups.
     */
    private Drained[] measureThroughput(Path model) throws InterruptedException {
        if (settings.warmupReadings() > 0) {
            throughputRound("throughput-warmup", model, settings.warmupReadings(), false);
        }
        return throughputRound("throughput", model, settings.readings(), true);
    }

    private Drained[] throughputRound(String run, Path model, long count, boolean measured) throws InterruptedException {
        StreamcastConfig config = serviceConfig(run, THROUGHPUT_GUARANTEE, model);
        Topics topics = Topics.from(config);
        String copies = run + "-passthrough-copies";
        createTopics(topics.readings(), copies, run + "-data-flow-forecasts", run + "-data-flow-accuracy",
                run + "-data-flow-samples");
        Preload.produce(clientProperties(), topics.readings(), readings, count);
        Map<TopicPartition, Long> ends = Drain.endOffsets(admin, topics.readings());
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
            Drained forecastDrain = drain(measured ? "forecasting" : "forecasting warm-up", service.streams(),
                    config.get("kafka.application.id"), ends, topics.samples(), trainerGroup(config), drainTimeout);
            if (measured) {
                otherCpuShare.put("passthrough", passthroughDrain.otherCpuShare());
                otherCpuShare.put("data flow", dataFlowDrain.otherCpuShare());
                otherCpuShare.put("forecasting", forecastDrain.otherCpuShare());
                recordsPerReading = logRecordsWritten(count, topics, config.get("kafka.application.id"), copies);
                measuredReadings = topics.readings();
            }
            return new Drained[] {passthroughDrain, dataFlowDrain, forecastDrain};
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
            return drain(name, streams, applicationId, ends, samplesTopic, applicationId, timeout);
        } finally {
            streams.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    /**
     * Times a drain from RUNNING until every reading is committed and, with {@code samplesTopic}, until the trainer
     * sub-topology has also consumed every training sample the readings made. The trainer runs on the same stream
     * thread and, with a backlog of readings, falls far behind (most samples are still unconsumed when the last
     * reading is answered); that backlog is work the service owes for these readings, so the rate it can sustain
     * counts it.
     */
    private Drained drain(String name, KafkaStreams streams, String groupId, Map<TopicPartition, Long> ends,
                        String samplesTopic, String samplesGroupId, Duration timeout) throws InterruptedException {
        long startedMs = System.currentTimeMillis();
        long started = awaitFirstThreadAssigned(streams, name);
        long cpuStarted = cpu.processCpuNanos();
        Runnable alive = () -> checkAlive(streams, name);
        long readingsDone = Drain.await(admin, groupId, ends, 0, timeout, alive);
        long done = readingsDone;
        if (samplesTopic != null) {
            // Final: the transaction that committed the last reading also wrote its samples.
            Map<TopicPartition, Long> samplesEnds = Drain.endOffsets(admin, samplesTopic);
            Map<TopicPartition, Long> consumed = Drain.committed(admin, samplesGroupId, samplesEnds);
            LOG.info("{}: readings answered; the trainer is {} training samples behind", name,
                    samplesEnds.entrySet().stream().mapToLong(e -> e.getValue() - consumed.get(e.getKey())).sum());
            long slack = THROUGHPUT_GUARANTEE.equals(EndToEndResult.AT_LEAST_ONCE) ? 0 : 1;
            done = Drain.await(admin, samplesGroupId, samplesEnds, slack, timeout, alive);
        }
        long cpuUsed = cpu.processCpuNanos() - cpuStarted;
        long count = ends.values().stream().mapToLong(Long::longValue).sum();
        Drained drain = new Drained(count / ((done - started) / 1e9), count / ((readingsDone - started) / 1e9),
                cpuStarted < 0 ? Double.NaN : cpuUsed / 1e3 / count,
                cpu.otherShare(startedMs, System.currentTimeMillis()));
        LOG.info("{} topology drained {} readings in {} s: {} readings/s (readings alone answered in {} s), {} us of "
                        + "CPU per reading; other processes took {}% of the CPU meanwhile", name, count,
                String.format(Locale.ROOT, "%.2f", (done - started) / 1e9), Math.round(drain.rps()),
                String.format(Locale.ROOT, "%.2f", (readingsDone - started) / 1e9),
                String.format(Locale.ROOT, "%.1f", drain.cpuUsPerReading()), Math.round(100 * drain.otherCpuShare()));
        return drain;
    }

    /**
     * Logs the records each topology wrote per reading, by topic (changelogs included): the broker's share of the
     * cost, which runs in this JVM and on the same cores. Under exactly_once_v2 the counts include a transaction
     * marker per partition and commit.
     */
    private double logRecordsWritten(long count, Topics topics, String applicationId, String copies) {
        List<String> written = new ArrayList<>(topics.all());
        written.remove(topics.readings());
        written.remove(topics.models());
        // Kafka Streams names a store's changelog <application.id>-<store>-changelog.
        written.add(applicationId + "-" + StreamcastTopology.SENSOR_STORE + "-changelog");
        written.add(applicationId + StreamcastTopology.TRAINER_APPLICATION_SUFFIX + "-" + StreamcastTopology.BUFFER_STORE
                + "-changelog");
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

    // ---------------------------------------------------------------------------------------------------------
    // Pace
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The preloaded readings of the measured throughput round, drained once more by a fresh service (its own
     * application id and output topics) with no initial model and retraining every {@link #PACE_EVERY_SAMPLES}: does
     * training keep pace with a backlog? Timed like the throughput drain, training CPU included.
     */
    private EndToEndResult.Pace measurePace() throws InterruptedException {
        StreamcastConfig base = serviceConfig("pace", THROUGHPUT_GUARANTEE, null);
        Map<String, String> m = new HashMap<>(base.asMap());
        m.put("topics.readings", measuredReadings);
        m.put("retrain.every.samples", Integer.toString(PACE_EVERY_SAMPLES));
        StreamcastConfig config = StreamcastConfig.of(m);
        Topics topics = Topics.from(config);
        Map<TopicPartition, Long> ends = Drain.endOffsets(admin, measuredReadings);
        long count = ends.values().stream().mapToLong(Long::longValue).sum();
        try (StreamcastService service = new StreamcastService(config)) {
            service.start();
            long startedMs = System.currentTimeMillis();
            Drained drain = drain("pace", service.streams(), config.get("kafka.application.id"), ends, topics.samples(),
                    trainerGroup(config), Duration.ofSeconds(120 + count / 1_000));
            otherCpuShare.put("pace", cpu.otherShare(startedMs, System.currentTimeMillis()));
            StreamMetrics metrics = service.metrics();
            long forecasts = metrics.forecasts();
            double trainedShare = forecasts == 0 ? 0 : (forecasts - metrics.naiveForecasts()) / (double) forecasts;
            long accepted = service.registry().runs().stream().filter(ChallengerTrainer.Outcome::accepted).count();
            EndToEndResult.Pace pace = new EndToEndResult.Pace(PACE_EVERY_SAMPLES, drain.rps(), drain.cpuUsPerReading(),
                    metrics.maxRetrainStartLagSamples(), trainedShare, metrics.retrainingsStarted(), accepted);
            LOG.info("pace: {}", pace);
            return pace;
        }
    }

    private long recordsIn(String topic) {
        return Drain.endOffsets(admin, topic).values().stream().mapToLong(Long::longValue).sum();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Latency
    // ---------------------------------------------------------------------------------------------------------

    private EndToEndResult.Latency measureLatency(String guarantee, Path model) throws InterruptedException {
        String run = "latency-" + guarantee.replace('_', '-');
        StreamcastConfig config = serviceConfig(run, guarantee, model);
        Topics topics = Topics.from(config);
        String modelId = config.get("model.id");
        long steadyFrom;
        long steadyTo;
        List<long[]> retrainIntervals = new ArrayList<>();
        long retrainMs = 0;
        LatencyProbe probe;
        PacedProducer producer;
        try (StreamcastService service = new StreamcastService(config)) {
            service.start();
            awaitRunning(service.streams(), run);
            awaitModel(service.registry(), modelId);
            probe = LatencyProbe.start(clientProperties(), topics.forecasts(), "streamcast-e2e-probe-" + run);
            try (probe) {
                producer = PacedProducer.start(clientProperties(), topics.readings(), readings,
                        settings.ratePerSecond(), "streamcast-e2e-producer-" + run);
                try (producer) {
                    LOG.info("{}: {} readings/s over {} sensors; warming up for {} s", run, settings.ratePerSecond(),
                            settings.sensors(), settings.warmup().toSeconds());
                    sleep(settings.warmup(), service.streams(), run);
                    steadyFrom = System.currentTimeMillis();
                    LOG.info("{}: measuring for {} s without retraining", run, settings.latencyDuration().toSeconds());
                    sleep(settings.latencyDuration(), service.streams(), run);
                    steadyTo = System.currentTimeMillis();
                    LOG.info("{}: measuring for at least {} s during retrainings", run,
                            settings.retrainDuration().toSeconds());
                    long phaseEnd = System.nanoTime() + settings.retrainDuration().toNanos();
                    do {
                        long requestedAt = System.currentTimeMillis();
                        ChallengerTrainer.Outcome outcome = retrain(service, modelId, run);
                        retrainIntervals.add(new long[] {requestedAt, System.currentTimeMillis()});
                        retrainMs += outcome.durationMs();
                    } while (System.nanoTime() < phaseEnd);
                }
                // Every reading produced has been answered once the forecasts stop coming.
                probe.awaitQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30));
                LOG.info("{}: {} readings produced, {} forecasts received", run, producer.sent(), probe.received());
            }
        }
        otherCpuShare.put(guarantee, cpu.otherShare(steadyFrom, retrainIntervals.get(retrainIntervals.size() - 1)[1]));
        return figures(guarantee, probe.samples(), steadyFrom, steadyTo, retrainIntervals, retrainMs,
                producer.maxLagMs());
    }

    /**
     * Asks for one retraining and waits for its outcome. The interval measured as "during a retraining" runs from
     * the request to the outcome's publication, so it includes the trainer taking its snapshot of the replay buffer
     * (on the stream thread) and the new model's hot swap, not only the training on the background thread.
     */
    private ChallengerTrainer.Outcome retrain(StreamcastService service, String modelId, String run)
            throws InterruptedException {
        ModelRegistry registry = service.registry();
        int before = registry.runs().size();
        registry.requestRetrain(modelId);
        long deadline = System.nanoTime() + RETRAIN_TIMEOUT.toNanos();
        while (registry.runs().size() == before) {
            checkAlive(service.streams(), run);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(run + ": the requested retraining of '" + modelId
                        + "' did not finish within " + RETRAIN_TIMEOUT);
            }
            Thread.sleep(20);
        }
        ChallengerTrainer.Outcome outcome = registry.runs().get(0);
        if (outcome.reason().startsWith("failed")) {
            throw new IllegalStateException(run + ": a retraining of '" + modelId + "' " + outcome.reason());
        }
        LOG.info("{}: retraining on {} samples for {} epochs took {} ms ({})", run, outcome.trainingSamples(),
                outcome.epochs(), outcome.durationMs(), outcome.accepted() ? "accepted" : "rejected");
        return outcome;
    }

    private EndToEndResult.Latency figures(String guarantee, LatencySamples samples, long steadyFrom,
                                           long steadyTo, List<long[]> retrainIntervals, long retrainMs,
                                           long maxProducerLagMs) {
        // A forecast belongs to an interval by its reading's timestamp: when the reading was due to be produced.
        LongPredicate steady = ts -> ts >= steadyFrom && ts < steadyTo;
        long[][] intervals = retrainIntervals.toArray(new long[0][]);
        LongPredicate retraining = ts -> {
            for (long[] iv : intervals) {
                if (ts >= iv[0] && ts <= iv[1]) {
                    return true;
                }
            }
            return false;
        };
        int[] plain = samples.sortedLatencies(steady);
        int[] during = samples.sortedLatencies(retraining);
        if (plain.length == 0 || during.length == 0) {
            throw new IllegalStateException(guarantee + ": no forecasts received " + (plain.length == 0
                    ? "without retraining" : "during retraining") + " (" + samples.size() + " in all)");
        }
        long naive = samples.naiveCount(steady) + samples.naiveCount(retraining);
        if (naive > 0) {
            LOG.warn("{}: {} measured forecasts were naive, not made by the LSTM", guarantee, naive);
        }
        EndToEndResult.Latency latency = new EndToEndResult.Latency(guarantee, settings.ratePerSecond(),
                plain.length, LatencySamples.percentile(plain, 0.50),
                LatencySamples.percentile(plain, 0.99), plain[plain.length - 1], during.length,
                LatencySamples.percentile(during, 0.50), LatencySamples.percentile(during, 0.99),
                during[during.length - 1], intervals.length, retrainMs, naive, maxProducerLagMs);
        LOG.info("{}", latency);
        return latency;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Plumbing
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The service's configuration for one part of the run: its own application id and topics (so the parts do
     * not see each other's records or state), the guarantee, the initial model, and no automatic retraining.
     */
    private StreamcastConfig serviceConfig(String run, String guarantee, Path model) {
        StreamcastConfig defaults = StreamcastConfig.defaults();
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap.servers", bootstrap);
        m.put("kafka.application.id", "streamcast-e2e-" + run);
        m.put("kafka.state.dir", work.resolve("state").toString());
        m.put("kafka.processing.guarantee", guarantee);
        for (String key : TOPIC_KEYS) {
            m.put(key, run + "-" + defaults.get(key));
        }
        m.put("topics.partitions", Integer.toString(settings.partitions()));
        m.put("model.initial", model == null ? "" : model.toString());
        m.put("retrain.every.samples", Integer.toString(Integer.MAX_VALUE));
        m.put("retrain.every", "36500d");
        m.put("retrain.buffer.size", Integer.toString(settings.retrainBufferSize()));
        m.put("retrain.min.samples", Integer.toString(Math.min(settings.retrainBufferSize(),
                defaults.getInt("retrain.min.samples", 2, Integer.MAX_VALUE))));
        m.put("retrain.epochs", Integer.toString(settings.retrainEpochs()));
        return StreamcastConfig.of(m);
    }

    /** The training client's consumer group, which reads the samples topic. */
    private static String trainerGroup(StreamcastConfig config) {
        return config.get("kafka.application.id") + StreamcastTopology.TRAINER_APPLICATION_SUFFIX;
    }

    /** What the benchmark's own clients (preload, producer, probe) need: the broker, nothing else. */
    private Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }

    /** An LSTM of the configured architecture with Keras's initialisation: its weights do not change its cost. */
    private Path writeInitialModel() {
        ForecastSettings defaults = ForecastSettings.from(StreamcastConfig.defaults());
        Forecaster forecaster = ModelCodec.toForecaster(defaults.architecture(), INITIAL_MODEL_SEED)
                .withIdentity(defaults.modelId(), 1, Instant.now().toString(), null);
        Path file = work.resolve("initial-model.json");
        try {
            Files.write(file, ModelCodec.write(ModelCodec.toDocument(forecaster)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark's initial model to " + file, e);
        }
        return file;
    }

    private void createTopics(String... names) {
        List<NewTopic> topics = Stream.of(names).map(n -> new NewTopic(n, settings.partitions(), (short) 1)).toList();
        try {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the topics " + List.of(names) + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create the topics " + List.of(names) + ": no answer in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the topics " + List.of(names), e);
        }
    }

    /**
     * Waits until a stream thread has its partitions (and may process) and returns the {@link System#nanoTime()} it
     * was seen at. Not the application's RUNNING: with several threads that comes only once every thread has its
     * partitions, and the first ones may have drained the readings by then.
     */
    private static long awaitFirstThreadAssigned(KafkaStreams streams, String name) throws InterruptedException {
        return await(streams, name, "no stream thread had its partitions",
                () -> streams.state() == KafkaStreams.State.RUNNING || streams.metadataForLocalThreads().stream()
                        .map(ThreadMetadata::threadState)
                        .anyMatch(s -> s.equals("PARTITIONS_ASSIGNED") || s.equals("RUNNING")));
    }

    /** Waits for RUNNING and returns the {@link System#nanoTime()} it was seen at. */
    private static long awaitRunning(KafkaStreams streams, String name) throws InterruptedException {
        return await(streams, name, "Kafka Streams not RUNNING", () -> streams.state() == KafkaStreams.State.RUNNING);
    }

    /**
     * Polls {@code ready} every millisecond until it holds and returns the {@link System#nanoTime()} it was seen at.
     *
     * @throws IllegalStateException if the application stopped, or {@code ready} did not hold within START_TIMEOUT
     *                               ({@code notReady} says what did not happen)
     */
    private static long await(KafkaStreams streams, String name, String notReady, BooleanSupplier ready)
            throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            checkAlive(streams, name);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": " + notReady + " within " + START_TIMEOUT + " ("
                        + streams.state() + ")");
            }
            Thread.sleep(1);
        }
        return System.nanoTime();
    }

    private static void checkAlive(KafkaStreams streams, String name) {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
            throw new IllegalStateException(name + ": Kafka Streams stopped (" + state + "); see the log above");
        }
    }

    /** The initial model reaches the registry through the global store; forecasts must not start naive. */
    private static void awaitModel(ModelRegistry registry, String modelId) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (registry.get(modelId) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the initial model '" + modelId + "' did not reach the service within "
                        + START_TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    /** Sleeps for {@code duration}, failing early if the service stops. */
    private static void sleep(Duration duration, KafkaStreams streams, String name) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            checkAlive(streams, name);
            Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // The figures are worth more than a clean /tmp: say what is left behind, do not fail the run.
            LOG.warn("cannot delete the benchmark's temporary directory {}; delete it by hand", dir, e);
        }
    }
}
