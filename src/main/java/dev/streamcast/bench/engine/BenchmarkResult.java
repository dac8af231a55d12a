package dev.streamcast.bench.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one run of {@link Benchmarks}: averages over the measurement iterations, each with the
 * half-width of its 99.9% confidence interval as JMH reports it (NaN when too few iterations to say).
 *
 * @param model                        the model timed; the targets are the seed's
 * @param forecastOneUs                microseconds to forecast one window
 * @param forecastOneErrorUs           its error
 * @param forecastOneAllocBytes        bytes allocated per forecast of one window (JMH's gc.alloc.rate.norm); a
 *                                     value well under 1 is JMH's own bookkeeping, i.e. no allocation
 * @param forecastBatchUsPerWindow     microseconds per window when forecasting 1,024 windows in one batch
 * @param forecastBatchErrorUs         its error
 * @param trainStepBatch1Us            microseconds per Adam step at batch size 1
 * @param trainStepBatch1ErrorUs       its error
 * @param seedFitMs                    milliseconds for the seed's whole fit (100 epochs, batch size 1); NaN for
 *                                     another model
 * @param seedFitErrorMs               its error
 * @param quick                        whether the run used the quick (shorter, wider error) settings
 * @param cpus                         processors available to the JVM
 * @param loadAverage                  the system load average over the last minute when the run ended (the
 *                                     benchmark itself accounts for about 1), or a negative value if unknown; well
 *                                     above 1, other work competed with the benchmark and the times are pessimistic
 */
public record BenchmarkResult(BenchedShape model,
                              double forecastOneUs, double forecastOneErrorUs, double forecastOneAllocBytes,
                              double forecastBatchUsPerWindow, double forecastBatchErrorUs,
                              double trainStepBatch1Us, double trainStepBatch1ErrorUs,
                              double seedFitMs, double seedFitErrorMs, boolean quick, int cpus,
                              double loadAverage) {

    /** The figures of a run on the seed. */
    public BenchmarkResult(double forecastOneUs, double forecastOneErrorUs, double forecastOneAllocBytes,
                           double forecastBatchUsPerWindow, double forecastBatchErrorUs,
                           double trainStepBatch1Us, double trainStepBatch1ErrorUs,
                           double seedFitMs, double seedFitErrorMs, boolean quick, int cpus, double loadAverage) {
        this(BenchedShape.SEED, forecastOneUs, forecastOneErrorUs, forecastOneAllocBytes, forecastBatchUsPerWindow,
                forecastBatchErrorUs, trainStepBatch1Us, trainStepBatch1ErrorUs, seedFitMs, seedFitErrorMs, quick,
                cpus, loadAverage);
    }

    /** Target: forecasting one window takes at most this many microseconds. */
    public static final double FORECAST_ONE_TARGET_US = 2.0;
    /** Target: a batch of 1,024 windows takes at most this many microseconds per window. */
    public static final double FORECAST_BATCH_TARGET_US = 1.0;
    /** Target: one Adam step at batch size 1 takes at most this many microseconds. */
    public static final double TRAIN_STEP_TARGET_US = 10.0;
    /** Target: the seed's fit takes at most this many milliseconds. */
    public static final double SEED_FIT_TARGET_MS = 50.0;
    /** Below this many bytes per forecast, the allocation JMH measures is its own, not the forecast's. */
    public static final double NO_ALLOCATION_BYTES = 1.0;

    /**
     * The four figures (three for a model other than the seed, which has no seed fit) and the allocation, by the
     * names {@code --json} writes, in table order.
     */
    public Map<String, Double> figures() {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("forecast_one_us", forecastOneUs);
        figures.put("forecast_batch_us_per_window", forecastBatchUsPerWindow);
        figures.put("train_step_batch1_us", trainStepBatch1Us);
        if (model.seed()) {
            figures.put("seed_fit_ms", seedFitMs);
        }
        figures.put("forecast_one_alloc_bytes_per_op", forecastOneAllocBytes);
        return figures;
    }

    /** Whether every figure meets its target; the targets are the seed's, so another model meets none. */
    public boolean meetsTargets() {
        return model.seed() && forecastOneUs <= FORECAST_ONE_TARGET_US && forecastOneAllocBytes < NO_ALLOCATION_BYTES
                && forecastBatchUsPerWindow <= FORECAST_BATCH_TARGET_US && trainStepBatch1Us <= TRAIN_STEP_TARGET_US
                && seedFitMs <= SEED_FIT_TARGET_MS;
    }
}
