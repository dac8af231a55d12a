package dev.streamcast.model;

/**
 * How a window of raw readings becomes the network's input, and the network's output a forecast.
 *
 * <p>Each method takes the window as {@code length} values of {@code values} from {@code offset}, so a batch of
 * windows stored end to end is scaled without copying. Implementations hold no per-call state.
 */
public sealed interface Scaling permits Scaling.None, Scaling.Window, Scaling.Standard {

    /** The kind as the model document names it. */
    String kind();

    /** Writes the scaled window to {@code dst} from {@code dstOffset}. */
    void scaleWindow(double[] values, int offset, int length, double[] dst, int dstOffset);

    /** The training target for the value that followed the window, in the network's units. */
    double scaleTarget(double[] values, int offset, int length, double target);

    /** The forecast, in the readings' units, for the network's output on the window. */
    double unscale(double[] values, int offset, int length, double output);

    ModelDocument.ScalingSpec spec();

    static Scaling fromSpec(ModelDocument.ScalingSpec spec) {
        if (spec == null || spec.kind() == null) {
            throw new ModelFormatException("scaling.kind: missing; expected one of none, window, standard");
        }
        switch (spec.kind()) {
            case "none":
                return new None();
            case "window":
                return new Window();
            case "standard":
                if (spec.mean() == null || spec.std() == null || !Double.isFinite(spec.mean())
                        || !(spec.std() > 0) || !Double.isFinite(spec.std())) {
                    throw new ModelFormatException("scaling: kind 'standard' needs a finite mean and a std > 0, got mean="
                            + spec.mean() + ", std=" + spec.std());
                }
                return new Standard(spec.mean(), spec.std());
            default:
                throw new ModelFormatException("scaling.kind: unknown '" + spec.kind()
                        + "'; expected one of none, window, standard");
        }
    }

    /** The raw numbers, as the seed feeds them: x' = x, forecast = y. */
    record None() implements Scaling {
        @Override
        public String kind() {
            return "none";
        }

        @Override
        public void scaleWindow(double[] values, int offset, int length, double[] dst, int dstOffset) {
            System.arraycopy(values, offset, dst, dstOffset, length);
        }

        @Override
        public double scaleTarget(double[] values, int offset, int length, double target) {
            return target;
        }

        @Override
        public double unscale(double[] values, int offset, int length, double output) {
            return output;
        }

        @Override
        public ModelDocument.ScalingSpec spec() {
            return new ModelDocument.ScalingSpec("none", null, null);
        }
    }

    /**
     * The default: each window is expressed relative to its own last value and step size, so one model serves
     * series of any level and magnitude and a trend it learned continues at any level.
     * <pre>
     *   c = x_last,  s = max( sqrt(mean_t (x_t - x_{t-1})^2),  1e-6 * max(1, |c|) )
     *   x'_t = (x_t - c) / s        target' = (y - c) / s        forecast = c + s * output
     * </pre>
     * The floor on s keeps a flat window (all steps zero) from dividing by zero: its input is all zeros and
     * its forecast stays next to the last value.
     */
    record Window() implements Scaling {
        @Override
        public String kind() {
            return "window";
        }

        static double step(double[] values, int offset, int length) {
            double sum = 0;
            for (int t = 1; t < length; t++) {
                double d = values[offset + t] - values[offset + t - 1];
                sum += d * d;
            }
            double rms = length > 1 ? Math.sqrt(sum / (length - 1)) : 0.0;
            double floor = 1e-6 * Math.max(1.0, Math.abs(values[offset + length - 1]));
            return Math.max(rms, floor);
        }

        @Override
        public void scaleWindow(double[] values, int offset, int length, double[] dst, int dstOffset) {
            double c = values[offset + length - 1];
            double s = step(values, offset, length);
            for (int t = 0; t < length; t++) {
                dst[dstOffset + t] = (values[offset + t] - c) / s;
            }
        }

        @Override
        public double scaleTarget(double[] values, int offset, int length, double target) {
            return (target - values[offset + length - 1]) / step(values, offset, length);
        }

        @Override
        public double unscale(double[] values, int offset, int length, double output) {
            return values[offset + length - 1] + step(values, offset, length) * output;
        }

        @Override
        public ModelDocument.ScalingSpec spec() {
            return new ModelDocument.ScalingSpec("window", null, null);
        }
    }

    /**
     * One mean and standard deviation for all readings, fitted on the training data:
     * x' = (x - mean) / std, forecast = mean + std * output.
     */
    record Standard(double mean, double std) implements Scaling {
        @Override
        public String kind() {
            return "standard";
        }

        @Override
        public void scaleWindow(double[] values, int offset, int length, double[] dst, int dstOffset) {
            for (int t = 0; t < length; t++) {
                dst[dstOffset + t] = (values[offset + t] - mean) / std;
            }
        }

        @Override
        public double scaleTarget(double[] values, int offset, int length, double target) {
            return (target - mean) / std;
        }

        @Override
        public double unscale(double[] values, int offset, int length, double output) {
            return mean + std * output;
        }

        @Override
        public ModelDocument.ScalingSpec spec() {
            return new ModelDocument.ScalingSpec("standard", mean, std);
        }

        /** Fits mean and std on every value of every series; a constant series gets std 1. */
        public static Standard fit(Iterable<double[]> series) {
            double sum = 0;
            double sumSq = 0;
            long n = 0;
            for (double[] s : series) {
                for (double v : s) {
                    sum += v;
                    sumSq += v * v;
                    n++;
                }
            }
            double mean = n == 0 ? 0 : sum / n;
            double variance = n == 0 ? 0 : Math.max(0, sumSq / n - mean * mean);
            double std = Math.sqrt(variance);
            return new Standard(mean, std > 1e-12 ? std : 1.0);
        }
    }
}
