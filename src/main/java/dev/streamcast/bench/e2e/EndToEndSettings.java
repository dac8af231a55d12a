package dev.streamcast.bench.e2e;

import java.time.Duration;
import java.util.Objects;

/**
 * The load of one end-to-end benchmark run ({@link EndToEndBenchmark}).
 *
 * <p>Full: 1,000,000 preloaded readings over 1,000 sensors for the throughput comparison; 5,000 readings/s over
 * 1,000 sensors for the latency runs, measured for a minute without and at least a minute during retraining.
 * Quick: a tenth of the load. The throughput input is a tenth (100,000 readings), but the latency runs keep the
 * rate of 5,000 readings/s and last a tenth as long (6 s each): latency depends on the rate, so a tenth of the
 * rate would measure an idle service, while a tenth of the duration keeps the meaning with a wider error
 * (30,000 forecasts per p99 instead of 300,000).
 *
 * @param readings          readings preloaded for the throughput comparison
 * @param warmupReadings    readings of each unmeasured throughput round before it (0: none), which compile the
 *                          topologies' code paths so the measured round compares steady states: as many as the
 *                          measured round's (see ThroughputComparison#measure)
 * @param sensors           sensors the readings are spread over (round robin)
 * @param ratePerSecond     readings per second produced during the latency runs
 * @param warmup            produced before latency is measured: fills every sensor's window and warms the JIT
 * @param latencyDuration   the measured interval without retraining
 * @param retrainDuration   retrainings are started one after another until this much time has passed; latency
 *                          is measured while they run
 * @param retrainEpochs     epochs of each benchmark retraining (retrain.epochs): makes one last long enough to
 *                          measure against, as a large buffer would in production
 * @param retrainBufferSize samples a retraining trains and scores on (retrain.buffer.size)
 * @param partitions        partitions of every topic (topics.partitions)
 * @param quick             whether these are the quick settings (reported with the figures)
 */
public record EndToEndSettings(long readings, long warmupReadings, int sensors, int ratePerSecond, Duration warmup,
                               Duration latencyDuration, Duration retrainDuration, int retrainEpochs,
                               int retrainBufferSize, int partitions, boolean quick) {

    public EndToEndSettings {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(latencyDuration, "latencyDuration");
        Objects.requireNonNull(retrainDuration, "retrainDuration");
        if (warmupReadings < 0) {
            throw new IllegalArgumentException("warmupReadings must not be negative, got " + warmupReadings);
        }
        if (readings < sensors || sensors < 1) {
            throw new IllegalArgumentException("need at least one reading per sensor, got " + readings
                    + " readings over " + sensors + " sensors");
        }
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("ratePerSecond must be positive, got " + ratePerSecond);
        }
        // Each sensor's readings must be at least 1 ms apart: the stream refuses a reading not after the last one.
        if (ratePerSecond / sensors > 500) {
            throw new IllegalArgumentException(ratePerSecond + " readings/s over " + sensors
                    + " sensors puts readings of one sensor less than 2 ms apart");
        }
        if (latencyDuration.isZero() || latencyDuration.isNegative() || retrainDuration.isNegative()
                || warmup.isNegative()) {
            throw new IllegalArgumentException("durations must be positive: warmup " + warmup + ", latency "
                    + latencyDuration + ", retrain " + retrainDuration);
        }
        if (retrainEpochs < 1 || retrainBufferSize < 10 || partitions < 1) {
            throw new IllegalArgumentException("retrainEpochs, retrainBufferSize (>= 10) and partitions must be "
                    + "positive, got " + retrainEpochs + ", " + retrainBufferSize + ", " + partitions);
        }
    }

    /** The loads the targets are stated for. */
    public static EndToEndSettings fullLoad() {
        return new EndToEndSettings(1_000_000, 1_000_000, 1_000, 5_000, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(60), 60, 5_000, 4, false);
    }

    /** A tenth of the load (see the class comment); done within two minutes. */
    public static EndToEndSettings quickLoad() {
        return new EndToEndSettings(100_000, 100_000, 1_000, 5_000, Duration.ofSeconds(3), Duration.ofSeconds(6),
                Duration.ofSeconds(6), 20, 5_000, 4, true);
    }
}
