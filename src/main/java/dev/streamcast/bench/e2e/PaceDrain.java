package dev.streamcast.bench.e2e;

import dev.streamcast.bench.e2e.DrainTimer.Drained;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.stream.StreamMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pace drain: does retraining keep pace with a backlog? It tells how late retrainings start against the
 * stream's position, and the share of forecasts a trained model made.
 */
final class PaceDrain {

    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkLog.NAME);
    /** The pace drain's retrain.every.samples. */
    static final int PACE_EVERY_SAMPLES = 20_000;

    private final BenchmarkSetup setup;
    private final DrainTimer timer;
    private final CpuMonitor cpu;
    /** By measurement: the share of the machine's CPU other processes took meanwhile. */
    private final Map<String, Double> otherCpuShare;

    PaceDrain(BenchmarkSetup setup, DrainTimer timer, CpuMonitor cpu, Map<String, Double> otherCpuShare) {
        this.setup = setup;
        this.timer = timer;
        this.cpu = cpu;
        this.otherCpuShare = otherCpuShare;
    }

    /**
     * The preloaded readings of the measured throughput round, drained once more by a fresh service (its own
     * application id and output topics) with no initial model and retraining every {@link #PACE_EVERY_SAMPLES}: does
     * training keep pace with a backlog? Timed like the throughput drain, training CPU included.
     */
    EndToEndResult.Pace measure(String readingsTopic) throws InterruptedException {
        StreamcastConfig base = setup.serviceConfig("pace", EndToEndResult.THROUGHPUT_GUARANTEE, null);
        Map<String, String> m = new HashMap<>(base.asMap());
        m.put("topics.readings", readingsTopic);
        m.put("retrain.every.samples", Integer.toString(PACE_EVERY_SAMPLES));
        StreamcastConfig config = StreamcastConfig.of(m);
        Topics topics = Topics.from(config);
        Map<TopicPartition, Long> ends = Drain.endOffsets(setup.admin(), readingsTopic);
        long count = ends.values().stream().mapToLong(Long::longValue).sum();
        try (StreamcastService service = new StreamcastService(config)) {
            service.start();
            long startedMs = System.currentTimeMillis();
            Drained drain = timer.time("pace", service.streams(), config.get("kafka.application.id"), ends,
                    topics.samples(), BenchmarkSetup.trainerGroup(config), Duration.ofSeconds(120 + count / 1_000));
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
}
