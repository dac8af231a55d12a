package dev.streamcast.bench.e2e;

import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.stream.ModelRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latency runs: readings at a fixed rate ({@link PacedProducer}) to a fresh service; after a warm-up, forecasts
 * are timed ({@link LatencyProbe}) for a while with no retraining, then while retrainings run back to back. The
 * run asks for each retraining itself, through {@link ModelRegistry#requestRetrain}, as
 * {@code POST /api/models/{id}/retrain} does, so it knows when one runs.
 */
final class LatencyRun {

    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkLog.NAME);
    /** The longest one retraining may take before the run is declared failed. */
    private static final Duration RETRAIN_TIMEOUT = Duration.ofMinutes(10);

    private final BenchmarkSetup setup;
    private final EndToEndSettings settings;
    private final Readings readings;
    private final CpuMonitor cpu;
    /** By measurement: the share of the machine's CPU other processes took meanwhile. */
    private final Map<String, Double> otherCpuShare;
    /** Given every run's samples once it ends (a comparison that studies them); none in {@code bench e2e}. */
    private final Observer observer;

    /** What a comparison of runs sees of each: its samples and the stream threads' commit latency. */
    interface Observer {
        /**
         * @param commitAvgMs the stream threads' mean commit time over the run (Kafka Streams' commit-latency-avg)
         * @param commitMaxMs their longest commit in the metric's window (commit-latency-max)
         */
        void ended(String run, LatencySamples samples, double commitAvgMs, double commitMaxMs);
    }

    LatencyRun(BenchmarkSetup setup, Readings readings, CpuMonitor cpu, Map<String, Double> otherCpuShare) {
        this(setup, readings, cpu, otherCpuShare, (run, samples, avg, max) -> { });
    }

    LatencyRun(BenchmarkSetup setup, Readings readings, CpuMonitor cpu, Map<String, Double> otherCpuShare,
               Observer observer) {
        this.observer = observer;
        this.setup = setup;
        this.settings = setup.settings();
        this.readings = readings;
        this.cpu = cpu;
        this.otherCpuShare = otherCpuShare;
    }

    /** One latency run under {@code guarantee}, on a fresh service and topics. */
    EndToEndResult.Latency measure(String guarantee, Path model) throws InterruptedException {
        return measure(guarantee, model, "latency-" + guarantee.replace('_', '-'));
    }

    /**
     * One latency run under {@code guarantee}, on a fresh service and topics named after {@code run} (runs side by
     * side in one broker need names of their own).
     */
    EndToEndResult.Latency measure(String guarantee, Path model, String run) throws InterruptedException {
        StreamcastConfig config = setup.serviceConfig(run, guarantee, model);
        Topics topics = Topics.from(config);
        String modelId = config.get("model.id");
        long steadyFrom;
        long steadyTo;
        List<long[]> retrainIntervals = new ArrayList<>();
        long retrainMs = 0;
        LatencyProbe probe;
        PacedProducer producer;
        double[] commitMs;
        try (StreamcastService service = new StreamcastService(config)) {
            service.start();
            StreamsWaits.awaitRunning(service.streams(), run);
            StreamsWaits.awaitModel(service.registry(), modelId);
            probe = LatencyProbe.start(setup.clientProperties(), topics.forecasts(), "streamcast-e2e-probe-" + run);
            try (probe) {
                producer = PacedProducer.start(setup.clientProperties(), topics.readings(), readings,
                        settings.ratePerSecond(), "streamcast-e2e-producer-" + run);
                try (producer) {
                    LOG.info("{}: {} readings/s over {} sensors; warming up for {} s", run, settings.ratePerSecond(),
                            settings.sensors(), settings.warmup().toSeconds());
                    StreamsWaits.sleep(settings.warmup(), service.streams(), run);
                    steadyFrom = System.currentTimeMillis();
                    LOG.info("{}: measuring for {} s without retraining", run, settings.latencyDuration().toSeconds());
                    StreamsWaits.sleep(settings.latencyDuration(), service.streams(), run);
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
            commitMs = commitLatency(service);
        }
        observer.ended(run, probe.samples(), commitMs[0], commitMs[1]);
        otherCpuShare.put(guarantee, cpu.otherShare(steadyFrom, retrainIntervals.get(retrainIntervals.size() - 1)[1]));
        return figures(guarantee, probe.samples(), steadyFrom, steadyTo, retrainIntervals, retrainMs,
                producer.maxLagMs());
    }

    /** The forecasting client's stream threads' commit-latency-avg and -max, in ms (NaN when not recorded). */
    private static double[] commitLatency(StreamcastService service) {
        double avg = Double.NaN;
        double max = Double.NaN;
        for (var e : service.streams().metrics().entrySet()) {
            MetricName name = e.getKey();
            if (!name.group().equals("stream-thread-metrics") || !(e.getValue().metricValue() instanceof Double v)
                    || v.isNaN()) {
                continue;
            }
            if (name.name().equals("commit-latency-avg")) {
                avg = Double.isNaN(avg) ? v : Math.max(avg, v);
            } else if (name.name().equals("commit-latency-max")) {
                max = Double.isNaN(max) ? v : Math.max(max, v);
            }
        }
        return new double[] {avg, max};
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
            StreamsWaits.checkAlive(service.streams(), run);
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
}
