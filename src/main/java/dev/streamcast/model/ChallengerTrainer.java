package dev.streamcast.model;

import java.time.Instant;

/**
 * One retraining: trains a challenger from the champion's weights (or, with no champion yet, from a freshly
 * initialised architecture) on the older samples, then scores challenger, champion and the naive forecast on the
 * same most recent held-out samples. The challenger wins when it is no worse than the champion; the first model
 * must beat the naive forecast.
 *
 * <p>The scores are RMSEs in typical steps ({@link #scaledRmse}): each error divided by its own sensor's step RMS.
 * One model serves sensors whose readings differ by orders of magnitude; in the readings' units the gate saw only
 * the largest (daily births in the thousands beside temperatures in tens) and accepted challengers that were worse
 * everywhere else.
 */
public final class ChallengerTrainer {

    /**
     * What a retraining decided. {@code model} is the challenger as the next version when accepted, null when
     * rejected; the three RMSEs are the gate's, in typical steps ({@link #scaledRmse}); {@code championRmse} is NaN
     * without a champion.
     */
    public record Outcome(String modelId, boolean accepted, Forecaster model, String reason, long startedAtMs,
                          long durationMs, int trainingSamples, int holdoutSamples, int epochs,
                          double challengerRmse, double championRmse, double naiveRmse, long championVersion) {
    }

    private ChallengerTrainer() {
    }

    /**
     * @param samples raw windows and the values that followed them, oldest first; the challenger takes their
     *                features ({@link FeatureWidening} when the champion's or {@code fresh}'s are fewer)
     * @param holdoutFraction the most recent fraction of samples used only for scoring (at least one sample)
     */
    public static Outcome run(String modelId, Forecaster champion, Forecaster fresh, TrainingSet samples,
                              double holdoutFraction, TrainingOptions options) {
        long startedAt = System.currentTimeMillis();
        long started = System.nanoTime();
        int n = samples.size();
        int holdout = Math.max(1, (int) Math.round(n * holdoutFraction));
        if (n - holdout < 1) {
            throw new IllegalArgumentException("retraining needs at least 2 samples, got " + n);
        }
        TrainingSet train = samples.slice(0, n - holdout);
        TrainingSet scoring = samples.slice(n - holdout, n);
        Features features = samples.features();
        // A champion of fewer features than the samples carry (a deployment whose model.features grew) starts the
        // challenger widened, computing what it computed, and is scored on its own features of the same samples.
        // One with features the samples lack cannot be scored on them: the challenger starts fresh and must beat the
        // naive forecast, as a first model must.
        boolean comparable = champion != null && champion.features().isSubsetOf(features);
        if (champion != null && !comparable) {
            champion = null;
        }
        Forecaster start = FeatureWidening.widen(champion != null ? champion : fresh, features);
        Trainer.Result result = Trainer.train(start, start.scaling(), java.util.List.of(), options, EpochListener.NONE,
                train);
        Forecaster challenger = result.forecaster();
        double challengerRmse = scaledRmse(challenger, scoring);
        double championRmse = champion != null ? scaledRmse(champion, scoring.project(champion.features()))
                : Double.NaN;
        double naiveRmse = scaledNaiveRmse(scoring);
        boolean accepted;
        String reason;
        if (!Double.isFinite(challengerRmse)) {
            accepted = false;
            reason = "rejected: the challenger's forecasts are not finite";
        } else if (champion != null) {
            accepted = challengerRmse <= championRmse;
            reason = String.format("%s: challenger RMSE %.6g %s champion v%d RMSE %.6g (typical steps) on %d "
                    + "held-out samples",
                    accepted ? "accepted" : "rejected", challengerRmse, accepted ? "<=" : ">", champion.version(),
                    championRmse, holdout);
        } else {
            accepted = challengerRmse < naiveRmse;
            reason = String.format("%s: first model RMSE %.6g %s naive RMSE %.6g (typical steps) on %d held-out "
                    + "samples",
                    accepted ? "accepted" : "rejected", challengerRmse, accepted ? "<" : ">=", naiveRmse, holdout);
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        long championVersion = champion != null ? champion.version() : 0;
        Forecaster published = null;
        if (accepted) {
            ModelDocument.TrainingInfo info = new ModelDocument.TrainingInfo((long) train.size(),
                    result.history().epochs(), challengerRmse, champion != null ? championRmse : null, naiveRmse,
                    champion != null ? championVersion : null, reason, durationMs);
            published = challenger.withIdentity(modelId, championVersion + 1, Instant.now().toString(), info);
        }
        return new Outcome(modelId, accepted, published, reason, startedAt, durationMs, train.size(), holdout,
                result.history().epochs(), challengerRmse, championRmse, naiveRmse, championVersion);
    }

    /** sqrt(mean (actual - forecast)^2) over the samples, in the readings' units. */
    public static double rmse(Forecaster forecaster, TrainingSet samples) {
        double sum = 0;
        int length = samples.inputSize();
        for (int i = 0; i < samples.size(); i++) {
            double e = samples.target(i) - forecaster.forecast(samples.inputs(), i * length, samples.level(i),
                    samples.stepRms(i));
            sum += e * e;
        }
        return Math.sqrt(sum / samples.size());
    }

    /**
     * sqrt(mean ((actual - forecast) / u)^2) over the samples, u each sample's {@link Scaling#errorUnit}: the
     * RMSE in typical steps of each sample's own sensor.
     */
    public static double scaledRmse(Forecaster forecaster, TrainingSet samples) {
        double sum = 0;
        int length = samples.inputSize();
        for (int i = 0; i < samples.size(); i++) {
            int at = i * length;
            double e = (samples.target(i) - forecaster.forecast(samples.inputs(), at, samples.level(i),
                    samples.stepRms(i))) / errorUnit(samples, i);
            sum += e * e;
        }
        return Math.sqrt(sum / samples.size());
    }

    /** As {@link #scaledRmse}, of the naive forecast. */
    public static double scaledNaiveRmse(TrainingSet samples) {
        double sum = 0;
        for (int i = 0; i < samples.size(); i++) {
            double e = (samples.target(i) - samples.lastValue(i)) / errorUnit(samples, i);
            sum += e * e;
        }
        return Math.sqrt(sum / samples.size());
    }

    /** {@link Scaling#errorUnit} of sample i: its sensor's typical step, floored by its last value. */
    private static double errorUnit(TrainingSet samples, int i) {
        // As Scaling.errorUnit: u = max(stepRms, 1e-6 * max(1, |x_last|)).
        return Math.max(samples.stepRms(i), 1e-6 * Math.max(1.0, Math.abs(samples.lastValue(i))));
    }

    /** The RMSE of the naive forecast (each window's last value). */
    public static double naiveRmse(TrainingSet samples) {
        double sum = 0;
        for (int i = 0; i < samples.size(); i++) {
            double e = samples.target(i) - samples.lastValue(i);
            sum += e * e;
        }
        return Math.sqrt(sum / samples.size());
    }
}
