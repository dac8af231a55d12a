package dev.streamcast.bench.e2e;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.service.TemporaryDirectories;
import dev.streamcast.stream.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end benchmark behind {@code streamcast bench e2e}: the real forecasting service
 * ({@link StreamcastService}, as users deploy it) against the embedded broker, in this JVM.
 *
 * <ol>
 *   <li>Throughput ({@link ThroughputComparison}): the readings are preloaded once; a passthrough topology (copy
 *       each reading to an output topic) drains them, then the service's data flow without its work
 *       ({@link DataFlow}), then the forecasting service, each with the same Kafka Streams properties (the
 *       service's own, another application id) and the same guarantee
 *       ({@link EndToEndResult#THROUGHPUT_GUARANTEE}, the service's default). A drain is timed ({@link DrainTimer})
 *       from the moment the first stream thread has its partitions (so start-up, which does not depend on the load,
 *       is left out for all three) until its committed offsets reach the input's end offsets ({@link Drain} says
 *       why that is correct under exactly_once_v2), and for the forecasting service until its trainer has also
 *       consumed the training samples. Unmeasured rounds of as many readings warm the JIT up for all three first,
 *       until it takes under a tenth of the forecasting drain's CPU (at most three rounds). Then the forecasting
 *       service alone drains readings of sensors with a daily cycle ({@link ThroughputComparison#measureDaily}): the
 *       seasonal path's cost.</li>
 *   <li>Pace ({@link PaceDrain}): the same preloaded readings drained once more by a fresh service with no initial
 *       model and retrain.every.samples = {@value PaceDrain#PACE_EVERY_SAMPLES}, so retraining runs through the
 *       drain: how late retrainings start against the stream's position, and the share of forecasts a trained
 *       model made.</li>
 *   <li>Latency ({@link LatencyRun}), for at_least_once and then exactly_once_v2, each on a fresh service and
 *       topics: readings at a fixed rate ({@link PacedProducer}); after a warm-up, forecasts are timed for a while
 *       with no retraining, then while retrainings run back to back ({@link LatencyProbe}).</li>
 * </ol>
 *
 * <p>Both topologies forecast with a model from the first reading on: an LSTM of the configured architecture
 * (config/model.json) is published as model.initial, so every forecast goes through the network, not the naive
 * path. Automatic retraining is off (retrain.every.samples and retrain.every out of reach): the throughput run
 * measures the topology alone, and the latency runs decide themselves when a retraining runs, through
 * {@link ModelRegistry#requestRetrain}, as {@code POST /api/models/{id}/retrain} does. Everything the benchmark
 * starts (broker, streams, clients, threads) is closed and its temporary directory deleted before it returns.
 * {@link BenchmarkSetup} gives every part its configuration and topics; {@link StreamsWaits} its waits.
 */
public final class EndToEndBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkLog.NAME);

    private static final long INITIAL_MODEL_SEED = 42;

    private final EndToEndSettings settings;
    private final Path work;
    private final ThroughputComparison throughput;
    private final PaceDrain pace;
    private final LatencyRun latency;
    /** By measurement, in the order they ran: the share of the machine's CPU other processes took meanwhile. */
    private final Map<String, Double> otherCpuShare = new LinkedHashMap<>();

    private EndToEndBenchmark(EndToEndSettings settings, String bootstrap, Admin admin, Path work,
                              CpuMonitor cpu) {
        this.settings = settings;
        this.work = work;
        BenchmarkSetup setup = new BenchmarkSetup(settings, bootstrap, admin, work);
        Readings readings = new Readings(settings.sensors());
        DrainTimer timer = new DrainTimer(admin, cpu);
        this.throughput = new ThroughputComparison(setup, timer, readings, otherCpuShare);
        this.pace = new PaceDrain(setup, timer, cpu, otherCpuShare);
        this.latency = new LatencyRun(setup, readings, cpu, otherCpuShare);
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
            TemporaryDirectories.delete(work, "the benchmark's temporary directory");
        }
    }

    private EndToEndResult measure() throws InterruptedException {
        Path model = writeInitialModel(work);
        ThroughputComparison.Result drains = throughput.measure(model);
        EndToEndResult.Seasonal daily = throughput.measureDaily(model);
        EndToEndResult.Pace paced = pace.measure(drains.readingsTopic());
        List<EndToEndResult.Latency> latencies = new ArrayList<>();
        latencies.add(latency.measure(EndToEndResult.AT_LEAST_ONCE, model));
        latencies.add(latency.measure(EndToEndResult.EXACTLY_ONCE_V2, model));
        EndToEndResult result = new EndToEndResult(settings, EndToEndResult.THROUGHPUT_GUARANTEE,
                drains.passthrough().rps(), drains.dataFlow().rps(), drains.forecasting().rps(),
                drains.forecasting().readingsRps(),
                drains.passthrough().cpuUsPerReading(), drains.dataFlow().cpuUsPerReading(),
                drains.forecasting().cpuUsPerReading(), drains.forecasting().jitCpuUsPerReading(),
                drains.recordsPerReading(), drains.bytesPerReading(), paced, daily, latencies, otherCpuShare);
        if (result.maxOtherCpuShare() > EndToEndResult.DISTURBED_CPU_SHARE) {
            LOG.warn("other processes used up to {}% of the machine's CPU while the benchmark measured ({}); the "
                    + "figures understate the service: run it again on a quiet machine",
                    Math.round(100 * result.maxOtherCpuShare()), otherCpuShare);
        }
        return result;
    }

    /** An LSTM of the configured architecture with Keras's initialisation: its weights do not change its cost. */
    static Path writeInitialModel(Path work) {
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
}
