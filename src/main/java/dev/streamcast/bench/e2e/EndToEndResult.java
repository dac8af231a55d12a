package dev.streamcast.bench.e2e;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of one end-to-end run ({@link EndToEndBenchmark}).
 *
 * @param settings             the load
 * @param throughputGuarantee  the processing guarantee all three topologies drained the preloaded readings with
 * @param passthroughRps       readings per second the passthrough topology (copy each reading) drained
 * @param dataFlowRps          readings per second the service's data flow without its work drained
 *                             ({@link DataFlow}: two copies per reading and a batch of samples per commit
 *                             interval, read back), in the same run and until its samples were read back too
 * @param forecastRps          readings per second the forecasting service drained, in the same run: until every
 *                             reading was answered and every training sample it made was in the replay buffer
 * @param forecastReadingsRps  the same, counting only until every reading was answered (forecast, accuracy,
 *                             sample written), before the trainer had caught up with the samples
 * @param passthroughCpuUs     CPU microseconds this JVM (broker included) spent per reading during the passthrough's
 *                             drain: less affected by other processes than the rates
 * @param dataFlowCpuUs        the same during the data flow's drain
 * @param forecastCpuUs        the same during the forecasting service's drain
 * @param forecastJitCpuUs     the part of {@code forecastCpuUs} the JIT's compiler threads took (NaN off Linux): a
 *                             warm-up cost, which a long-running service pays once
 * @param recordsPerReading    every record the forecasting service wrote per reading in its throughput drain, by
 *                             topic, changelogs included (transaction markers not counted)
 * @param bytesPerReading      the bytes those topics took in the broker's log directory after the drain, per reading
 *                             (as written: compressed batches, transaction markers included)
 * @param pace                 the pace drain: the same readings with no initial model and retraining on
 * @param latencies            reading produced to forecast consumed, one entry per processing guarantee
 * @param otherCpuShare        by measurement (passthrough, data flow, forecasting, each guarantee's latency run),
 *                             the mean share of the machine's CPU other processes used meanwhile (0 to 1; NaN
 *                             unknown)
 */
public record EndToEndResult(EndToEndSettings settings, String throughputGuarantee, double passthroughRps,
                             double dataFlowRps, double forecastRps, double forecastReadingsRps,
                             double passthroughCpuUs, double dataFlowCpuUs, double forecastCpuUs,
                             double forecastJitCpuUs,
                             double recordsPerReading, double bytesPerReading, Pace pace, Seasonal seasonal,
                             List<Latency> latencies,
                             Map<String, Double> otherCpuShare) {

    public static final String AT_LEAST_ONCE = "at_least_once";
    public static final String EXACTLY_ONCE_V2 = "exactly_once_v2";
    /**
     * The guarantee of the top-level latency figures: the service's default (config/streamcast.properties), so
     * that every top-level figure describes the service as deployed.
     */
    public static final String DEFAULT_GUARANTEE = EXACTLY_ONCE_V2;
    /** The guarantee of the throughput comparison: the service's default. */
    public static final String THROUGHPUT_GUARANTEE = EXACTLY_ONCE_V2;

    /** Target: the forecasting service drains at no less than this share of the passthrough's rate. */
    public static final double THROUGHPUT_RATIO_TARGET = 0.35;
    /** Target: CPU microseconds per reading of the forecasting service's throughput drain. */
    public static final double CPU_US_TARGET = 20;
    /** Target: a retraining starts at most this many samples after it fell due. */
    public static final long RETRAIN_START_LAG_TARGET = 5_000;
    /** Target: p99 latency with at_least_once, in ms. */
    public static final double P99_AT_LEAST_ONCE_TARGET_MS = 50;
    /** Target: p99 latency with exactly_once_v2, in ms. */
    public static final double P99_EXACTLY_ONCE_TARGET_MS = 250;
    /** Target: p99 during a retraining at most this many times the p99 without one. */
    public static final double RETRAIN_P99_RATIO_TARGET = 1.5;
    /** Above this share of the machine's CPU taken by other processes, the figures understate the service. */
    public static final double DISTURBED_CPU_SHARE = 0.10;

    /**
     * Latency from a reading's production (the record timestamp, set to the time the reading was due to be sent)
     * to its forecast's reception by a read_committed consumer.
     *
     * @param guarantee          processing.guarantee of the service
     * @param ratePerSecond      readings produced per second
     * @param forecasts          forecasts measured without retraining
     * @param p50Ms              median, in ms, without retraining
     * @param p99Ms              99th percentile, in ms, without retraining
     * @param maxMs              largest, in ms, without retraining
     * @param retrainForecasts   forecasts measured while a retraining ran
     * @param p50RetrainMs       median while a retraining ran
     * @param p99RetrainMs       99th percentile while a retraining ran
     * @param maxRetrainMs       largest while a retraining ran
     * @param retrainings        retrainings run back to back during the measurement
     * @param retrainMs          their total training time (ChallengerTrainer's durations)
     * @param naiveForecasts     measured forecasts made naively instead of by the LSTM (0 when a model was in use)
     * @param maxProducerLagMs   how far the producer fell behind its schedule at most (latency includes it)
     */
    public record Latency(String guarantee, int ratePerSecond, long forecasts, double p50Ms, double p99Ms,
                          double maxMs, long retrainForecasts, double p50RetrainMs, double p99RetrainMs,
                          double maxRetrainMs, int retrainings, long retrainMs, long naiveForecasts,
                          long maxProducerLagMs) {

        /** The p99 target of this guarantee, in ms. */
        public double p99TargetMs() {
            return guarantee.equals(AT_LEAST_ONCE) ? P99_AT_LEAST_ONCE_TARGET_MS : P99_EXACTLY_ONCE_TARGET_MS;
        }

        /** p99 during a retraining over p99 without one. */
        public double retrainRatio() {
            return p99RetrainMs / p99Ms;
        }

        public boolean meetsTargets() {
            return p99Ms <= p99TargetMs() && retrainRatio() <= RETRAIN_P99_RATIO_TARGET;
        }
    }

    /**
     * The pace drain: the preloaded readings drained once more by a fresh service with no initial model and
     * retrain.every.samples = {@code everySamples}, training on (its CPU counted).
     *
     * @param rps                     readings per second, until every reading was answered and every sample trained
     *                                on was in the replay buffer
     * @param cpuUsPerReading         CPU microseconds this JVM spent per reading, training included
     * @param retrainStartLagSamples  the most samples the stream had gone past a retraining's due point when it started
     * @param trainedForecastShare    the share of the drain's forecasts made by a trained model
     * @param retrainings             retrainings started during the drain
     * @param accepted                of which accepted
     */
    public record Pace(int everySamples, double rps, double cpuUsPerReading, long retrainStartLagSamples,
                       double trainedForecastShare, long retrainings, long accepted) {
        public boolean meetsTarget() {
            return retrainStartLagSamples <= RETRAIN_START_LAG_TARGET;
        }
    }

    /**
     * The daily-cycle drain: the forecasting service on hourly readings of sensors with a daily cycle, each learning
     * its season and then forecasting on the seasonal path.
     *
     * @param sensors         sensors the readings are spread over
     * @param rps             readings per second, until every reading was answered and every sample trained on
     * @param cpuUsPerReading CPU microseconds this JVM spent per reading (broker included)
     * @param seasonChanges   season changes the service counted: about one per sensor that took its day
     */
    public record Seasonal(int sensors, double rps, double cpuUsPerReading, long seasonChanges) {
    }

    public EndToEndResult {
        Objects.requireNonNull(settings, "settings");
        latencies = List.copyOf(latencies);
        otherCpuShare = Collections.unmodifiableMap(new LinkedHashMap<>(otherCpuShare));
    }

    /** The largest share of the CPU other processes took during a measurement (NaN when unknown). */
    public double maxOtherCpuShare() {
        return otherCpuShare.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** forecastRps over passthroughRps. */
    public double throughputRatio() {
        return forecastRps / passthroughRps;
    }

    /** dataFlowRps over passthroughRps: the best share the service's data flow allows, with no work done. */
    public double dataFlowRatio() {
        return dataFlowRps / passthroughRps;
    }

    /** The latency figures of {@code guarantee}. */
    public Latency latency(String guarantee) {
        return latencies.stream().filter(l -> l.guarantee().equals(guarantee)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no latency figures for " + guarantee + "; have "
                        + latencies.stream().map(Latency::guarantee).toList()));
    }

    /** Median latency of the default guarantee. */
    public double p50Ms() {
        return latency(DEFAULT_GUARANTEE).p50Ms();
    }

    /** p99 latency of the default guarantee. */
    public double p99Ms() {
        return latency(DEFAULT_GUARANTEE).p99Ms();
    }

    /** p99 latency of the default guarantee while a retraining runs. */
    public double p99RetrainMs() {
        return latency(DEFAULT_GUARANTEE).p99RetrainMs();
    }

    public boolean meetsTargets() {
        return throughputRatio() >= THROUGHPUT_RATIO_TARGET && forecastCpuUs <= CPU_US_TARGET && pace.meetsTarget()
                && latencies.stream().allMatch(Latency::meetsTargets);
    }
}
