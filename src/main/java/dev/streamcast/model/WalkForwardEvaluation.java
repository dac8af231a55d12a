package dev.streamcast.model;

/**
 * Replays a series the way the stream does: each value, once a full window precedes it, is forecast from that
 * window by the model (optionally with the stream's local correction) and by the naive forecast (the window's last
 * value), and both errors are accumulated.
 */
public final class WalkForwardEvaluation {

    /** Running error sums of the model and of the naive forecast over a number of forecasts. */
    public static final class Accuracy {
        private long count;
        private double modelSquared;
        private double modelAbsolute;
        private double naiveSquared;
        private double naiveAbsolute;

        public void add(double forecast, double naive, double actual) {
            count++;
            double e = actual - forecast;
            double en = actual - naive;
            modelSquared += e * e;
            modelAbsolute += Math.abs(e);
            naiveSquared += en * en;
            naiveAbsolute += Math.abs(en);
        }

        public void addAll(Accuracy other) {
            count += other.count;
            modelSquared += other.modelSquared;
            modelAbsolute += other.modelAbsolute;
            naiveSquared += other.naiveSquared;
            naiveAbsolute += other.naiveAbsolute;
        }

        public long count() {
            return count;
        }

        public double rmse() {
            return Math.sqrt(modelSquared / count);
        }

        public double mae() {
            return modelAbsolute / count;
        }

        public double naiveRmse() {
            return Math.sqrt(naiveSquared / count);
        }

        public double naiveMae() {
            return naiveAbsolute / count;
        }

        /** skill = 1 - RMSE / RMSE_naive: above 0 beats the naive forecast; NaN when the naive is perfect. */
        public double skill() {
            double naive = naiveRmse();
            return naive == 0 ? Double.NaN : 1.0 - rmse() / naive;
        }
    }

    private WalkForwardEvaluation() {
    }

    /**
     * Replays {@code series} from its first value, keeping its sensor statistics ({@link SensorStats}) as the
     * stream does, so each window is forecast in the context the stream would give it.
     */
    public static Accuracy evaluate(Forecaster forecaster, double[] series) {
        return evaluate(forecaster, series, 0);
    }

    /** As {@link #evaluate(Forecaster, double[])}, scoring only the values from index {@code scoreFrom} on. */
    public static Accuracy evaluate(Forecaster forecaster, double[] series, int scoreFrom) {
        return evaluate(forecaster, series, scoreFrom, 0);
    }

    /**
     * As {@link #evaluate(Forecaster, double[], int)}, with the stream's local correction of the network's forecasts
     * ({@link LocalCorrection}) of memory {@code correctionReadings} (0: the network alone), learning from every
     * forecast of the series as the stream's does, scored or not.
     */
    public static Accuracy evaluate(Forecaster forecaster, double[] series, int scoreFrom, int correctionReadings) {
        Accuracy accuracy = new Accuracy();
        int length = forecaster.windowLength();
        double lambda = LocalCorrection.forgetting(correctionReadings);
        LocalCorrection correction = lambda > 0 ? new LocalCorrection(length) : null;
        SensorStats stats = SensorStats.EMPTY;
        for (int i = 0; i < series.length; i++) {
            if (i >= length) {
                double forecast = forecaster.forecast(series, i - length, stats.level(), stats.stepRms());
                if (correction != null && Double.isFinite(forecast)) {
                    forecast = correction.correctPending(series, i - length, stats.level(), stats.stepRms(), forecast);
                    correction.learn(series, i - length, stats.level(), stats.stepRms(), series[i], lambda);
                }
                if (i >= scoreFrom) {
                    accuracy.add(forecast, series[i - 1], series[i]);
                }
            }
            stats = stats.next(series[i]);
        }
        return accuracy;
    }
}
