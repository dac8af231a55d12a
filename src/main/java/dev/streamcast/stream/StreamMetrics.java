package dev.streamcast.stream;

import dev.streamcast.wire.ForecastSource;
import dev.streamcast.wire.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the topology did, shared by its processors and read by the ops surface. Counters, not labels
 * per sensor: thousands of sensors must not become thousands of series.
 */
public final class StreamMetrics {

    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder forecasts = new LongAdder();
    private final Map<ForecastSource, LongAdder> naiveForecasts = new EnumMap<>(ForecastSource.class);
    private final LongAdder anomalies = new LongAdder();
    // Scored readings whose forecast had an interval, and of those the ones inside it.
    private final LongAdder withInterval = new LongAdder();
    private final LongAdder covered = new LongAdder();
    private final LongAdder windowRestarts = new LongAdder();
    private final LongAdder seasonChanges = new LongAdder();
    private final Map<RejectReason, LongAdder> refused = new EnumMap<>(RejectReason.class);
    private final ErrorSums model = new ErrorSums();
    private final ErrorSums naive = new ErrorSums();
    // The training samples path (see SampleBatch): this instance's batches carry `origin`, so the trainer can tell
    // which of the samples it receives were emitted here, and count the rest as still in flight.
    private final long origin = UUID.randomUUID().getMostSignificantBits();
    private final LongAdder samplesEmitted = new LongAdder();
    private final LongAdder samplesReceivedFromHere = new LongAdder();
    private final LongAdder sampleBatchesSkipped = new LongAdder();
    // Whether the trainer waits for samples the reading tasks have made but not committed: true until it says
    // otherwise, so a process whose trainer is elsewhere commits at the guarantee's pace (ReadingProcessor).
    private volatile boolean trainerWantsSamples = true;
    private final AtomicLong maxRetrainStartLag = new AtomicLong();
    private final LongAdder retrainingsStarted = new LongAdder();
    // Records a processor failed on and InternalErrorHandler sent to the dead-letter topic.
    private final LongAdder internalErrors = new LongAdder();
    private final InternalErrorRate internalErrorRate = new InternalErrorRate();

    public StreamMetrics() {
        for (RejectReason r : RejectReason.values()) {
            refused.put(r, new LongAdder());
        }
        for (ForecastSource source : ForecastSource.values()) {
            if (source.isNaive()) {
                naiveForecasts.put(source, new LongAdder());
            }
        }
    }

    /** Running sums of forecast errors: count, squared and absolute. */
    public static final class ErrorSums {
        private final LongAdder count = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder squared = new java.util.concurrent.atomic.DoubleAdder();
        private final java.util.concurrent.atomic.DoubleAdder absolute = new java.util.concurrent.atomic.DoubleAdder();

        void add(double error) {
            count.increment();
            squared.add(error * error);
            absolute.add(Math.abs(error));
        }

        public long count() {
            return count.sum();
        }

        public double rmse() {
            long n = count.sum();
            return n == 0 ? Double.NaN : Math.sqrt(squared.sum() / n);
        }

        public double mae() {
            long n = count.sum();
            return n == 0 ? Double.NaN : absolute.sum() / n;
        }
    }

    void recordInternalError(long nowMs) {
        internalErrors.increment();
        internalErrorRate.record(nowMs);
    }

    /** Records a processor failed on (sent to the dead-letter topic with reason internal-error), since the start. */
    public long internalErrors() {
        return internalErrors.sum();
    }

    /** Internal errors in the minute up to {@code nowMs} (wall clock): what GET /ready compares with its limit. */
    public long internalErrorsLastMinute(long nowMs) {
        return internalErrorRate.lastMinute(nowMs);
    }

    void recordAccepted() {
        accepted.increment();
    }

    void recordDuplicate() {
        duplicates.increment();
    }

    void recordRefused(RejectReason reason) {
        refused.get(reason).increment();
    }

    void recordForecast(ForecastSource source) {
        forecasts.increment();
        if (source.isNaive()) {
            naiveForecasts.get(source).increment();
        }
    }

    /** A scored reading's place against its forecast's interval, and whether it was flagged as an anomaly. */
    void recordInterval(double lower, double upper, double actual, boolean anomaly) {
        if (Double.isFinite(lower) && Double.isFinite(upper)) {
            withInterval.increment();
            if (actual >= lower && actual <= upper) {
                covered.increment();
            }
        }
        if (anomaly) {
            anomalies.increment();
        }
    }

    void recordWindowRestart() {
        windowRestarts.increment();
    }

    /** A sensor's season in use changed: found, lost, or another one (model.SensorSeason). */
    void recordSeasonChange() {
        seasonChanges.increment();
    }

    void recordScored(double forecast, double naiveForecast, double actual) {
        model.add(actual - forecast);
        naive.add(actual - naiveForecast);
    }

    void recordSampleEmitted() {
        samplesEmitted.increment();
    }

    void recordSamplesReceived(long batchOrigin, int count) {
        if (batchOrigin == origin) {
            samplesReceivedFromHere.add(count);
        }
    }

    void recordSampleBatchSkipped() {
        sampleBatchesSkipped.increment();
    }

    /** A retraining started {@code lag} samples after it fell due (see TrainerProcessor's schedule). */
    void recordRetrainStart(long lag) {
        retrainingsStarted.increment();
        maxRetrainStartLag.accumulateAndGet(lag, Math::max);
    }

    /** What this instance's batches of training samples are marked with. */
    long origin() {
        return origin;
    }

    /**
     * Training samples this instance's reading tasks have emitted that its trainer has not received yet (in a batch
     * not yet sent or not yet committed). The trainer counts them in the stream's position, so a backlog of
     * readings cannot delay a retraining that is due.
     */
    long samplesInFlight() {
        return Math.max(0, samplesEmitted.sum() - samplesReceivedFromHere.sum());
    }

    /**
     * Whether the trainer waits for the samples in flight: a retraining of the shared model is due and not running
     * (or it has received none yet). A reading task behind asks for a commit then, as if caught up, so the samples
     * reach the trainer within the guarantee's commit interval ({@code ForecastSettings#BACKLOG_COMMIT_MS}).
     */
    boolean trainerWantsSamples() {
        return trainerWantsSamples;
    }

    void trainerWantsSamples(boolean wants) {
        trainerWantsSamples = wants;
    }

    /** Training samples emitted by this instance's reading tasks. */
    public long samplesEmitted() {
        return samplesEmitted.sum();
    }

    /** Batches of training samples the trainer skipped as malformed. */
    public long sampleBatchesSkipped() {
        return sampleBatchesSkipped.sum();
    }

    /** The most samples the stream had gone past a retraining's due point when it started. */
    public long maxRetrainStartLagSamples() {
        return maxRetrainStartLag.get();
    }

    public long retrainingsStarted() {
        return retrainingsStarted.sum();
    }

    public long accepted() {
        return accepted.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long forecasts() {
        return forecasts.sum();
    }

    /** Forecasts published as the last value, whatever the reason. */
    public long naiveForecasts() {
        return naiveForecasts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Forecasts published as the last value for this reason (a naive {@link ForecastSource}). */
    public long naiveForecasts(ForecastSource reason) {
        LongAdder count = naiveForecasts.get(reason);
        return count == null ? 0 : count.sum();
    }

    /** Readings flagged as anomalies. */
    public long anomalies() {
        return anomalies.sum();
    }

    /** Scored readings whose forecast carried an interval. */
    public long intervalsScored() {
        return withInterval.sum();
    }

    /** Of those, the readings inside their forecast's interval. */
    public long intervalsCovered() {
        return covered.sum();
    }

    /** How many times a sensor's season in use changed. */
    public long seasonChanges() {
        return seasonChanges.sum();
    }

    public long windowRestarts() {
        return windowRestarts.sum();
    }

    public long refused(RejectReason reason) {
        return refused.get(reason).sum();
    }

    public long refusedTotal() {
        return refused.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Errors of the forecasts published, against the values that followed. */
    public ErrorSums modelErrors() {
        return model;
    }

    /** Errors the naive forecast (the last value) would have made on the same readings. */
    public ErrorSums naiveErrors() {
        return naive;
    }
}
