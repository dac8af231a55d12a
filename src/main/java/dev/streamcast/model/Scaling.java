package dev.streamcast.model;

/**
 * How a window of raw readings becomes the network's input, and the network's output a forecast.
 *
 * <p>Each method takes the window as {@code length} values of {@code values} from {@code offset}, so a batch of
 * windows stored end to end is scaled without copying, and the window's sensor context: the sensor's running
 * {@code level} and {@code stepRms} ({@link SensorStats}) when the window's last reading was added. Only the
 * {@link Sensor sensor} kind uses the context; the others ignore it. Implementations hold no per-call state.
 */
public sealed interface Scaling permits Scaling.None, Scaling.Window, Scaling.Standard, Scaling.Sensor,
        Scaling.Columns {

    /** The kind as the model document names it. */
    String kind();

    /** Writes the scaled window to {@code dst} from {@code dstOffset}. */
    void scaleWindow(double[] values, int offset, int length, double level, double stepRms, double[] dst,
                     int dstOffset);

    /** The training target for the value that followed the window, in the network's units. */
    double scaleTarget(double[] values, int offset, int length, double level, double stepRms, double target);

    /** The forecast, in the readings' units, for the network's output on the window. */
    double unscale(double[] values, int offset, int length, double level, double stepRms, double output);

    /**
     * The size of one typical error for this window, in the readings' units: the gate divides errors by it, so
     * that every sensor counts by its own typical step and not by the magnitude of its readings.
     * <pre>
     *   u = max(stepRms, 1e-6 * max(1, |x_last|))
     * </pre>
     */
    static double errorUnit(double[] values, int offset, int length, double stepRms) {
        return Math.max(stepRms, 1e-6 * Math.max(1.0, Math.abs(values[offset + length - 1])));
    }

    ModelDocument.ScalingSpec spec();

    static Scaling fromSpec(ModelDocument.ScalingSpec spec) {
        if (spec == null || spec.kind() == null) {
            throw new ModelFormatException("scaling.kind: missing; expected one of sensor, window, standard, none, "
                    + "columns");
        }
        if (!"columns".equals(spec.kind()) && (spec.features() != null || spec.target() != null)) {
            throw new ModelFormatException("scaling: features and target belong to kind 'columns', not '" + spec.kind()
                    + "'");
        }
        switch (spec.kind()) {
            case "columns":
                return new Columns(ColumnScaling.fromSpec(spec));
            case "sensor":
                if (spec.clip() != null && !(spec.clip() > 0)) {
                    throw new ModelFormatException("scaling: kind 'sensor' needs a clip > 0, got " + spec.clip());
                }
                return spec.clip() == null ? new Sensor() : new Sensor(spec.clip());
            case "none":
                return new None();
            case "window":
                return new Window();
            case "standard":
                if (spec.mean() == null || spec.std() == null || !Double.isFinite(spec.mean())
                        || !(spec.std() > 0) || !Double.isFinite(spec.std())) {
                    throw new ModelFormatException("scaling: kind 'standard' needs a finite mean and a std > 0, "
                            + "got mean=" + spec.mean() + ", std=" + spec.std());
                }
                return new Standard(spec.mean(), spec.std());
            default:
                throw new ModelFormatException("scaling.kind: unknown '" + spec.kind()
                        + "'; expected one of sensor, window, standard, none, columns");
        }
    }

    /** The raw numbers, as the seed feeds them: x' = x, forecast = y. */
    record None() implements Scaling {
        @Override
        public String kind() {
            return "none";
        }

        @Override
        public void scaleWindow(double[] values, int offset, int length, double level, double stepRms,
                                double[] dst, int dstOffset) {
            System.arraycopy(values, offset, dst, dstOffset, length);
        }

        @Override
        public double scaleTarget(double[] values, int offset, int length, double level, double stepRms,
                                  double target) {
            return target;
        }

        @Override
        public double unscale(double[] values, int offset, int length, double level, double stepRms,
                              double output) {
            return output;
        }

        @Override
        public ModelDocument.ScalingSpec spec() {
            return new ModelDocument.ScalingSpec("none", null, null, null);
        }
    }

    /**
     * Each window expressed relative to its own last value and step size, so one model serves series of any
     * level and magnitude and a trend it learned continues at any level. The default until the sensor kind:
     * on a flat window (a dry day's 0, 0, 0, a sensor that reports in coarse steps) the scale is the floor and the
     * scaled target of the next value runs into the millions.
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
        public void scaleWindow(double[] values, int offset, int length, double level, double stepRms,
                                double[] dst, int dstOffset) {
            double c = values[offset + length - 1];
            double s = step(values, offset, length);
            for (int t = 0; t < length; t++) {
                dst[dstOffset + t] = (values[offset + t] - c) / s;
            }
        }

        @Override
        public double scaleTarget(double[] values, int offset, int length, double level, double stepRms,
                                  double target) {
            return (target - values[offset + length - 1]) / step(values, offset, length);
        }

        @Override
        public double unscale(double[] values, int offset, int length, double level, double stepRms,
                              double output) {
            return values[offset + length - 1] + step(values, offset, length) * output;
        }

        @Override
        public ModelDocument.ScalingSpec spec() {
            return new ModelDocument.ScalingSpec("window", null, null, null);
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
        public void scaleWindow(double[] values, int offset, int length, double level, double stepRms,
                                double[] dst, int dstOffset) {
            for (int t = 0; t < length; t++) {
                dst[dstOffset + t] = (values[offset + t] - mean) / std;
            }
        }

        @Override
        public double scaleTarget(double[] values, int offset, int length, double level, double stepRms,
                                  double target) {
            return (target - mean) / std;
        }

        @Override
        public double unscale(double[] values, int offset, int length, double level, double stepRms,
                              double output) {
            return mean + std * output;
        }

        @Override
        public ModelDocument.ScalingSpec spec() {
            return new ModelDocument.ScalingSpec("standard", mean, std, null);
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

    /**
     * The default: each window is put in its sensor's context ({@link SensorStats}), the running level and the
     * typical step of the sensor's history, so one model serves sensors of any level and magnitude, a flat window
     * still has the sensor's own scale, and the network sees how far the window sits from the sensor's level (the
     * pull back to it that an autoregression's intercept gives).
     * <pre>
     *   c = x_last,  s = max(stepRms, 1e-6 * max(1, |c|))
     *   x'_t = clip((x_t - level) / s)        target' = clip((y - c) / s)        forecast = c + s * output
     *   clip(v) = max(-K, min(K, v))
     * </pre>
     * The output is the step from the last value in units of the sensor's typical step, so an untrained output of
     * 0 is the naive forecast. The clip K bounds what one reading can do to the fit: a storm's rain after dry
     * weeks, a sensor's glitch, the first readings of a sensor whose scale is not yet known.
     */
    record Sensor(double clip) implements Scaling {

        /** The clip on scaled inputs and targets, in typical steps. */
        public static final double DEFAULT_CLIP = 6.0;

        public Sensor() {
            this(DEFAULT_CLIP);
        }

        public Sensor {
            if (!(clip > 0)) {
                throw new IllegalArgumentException("the sensor scaling's clip must be > 0, got " + clip);
            }
        }

        @Override
        public String kind() {
            return "sensor";
        }

        private double clipped(double v) {
            return Math.max(-clip, Math.min(clip, v));
        }

        @Override
        public void scaleWindow(double[] values, int offset, int length, double level, double stepRms,
                                double[] dst, int dstOffset) {
            double s = errorUnit(values, offset, length, stepRms);
            for (int t = 0; t < length; t++) {
                dst[dstOffset + t] = clipped((values[offset + t] - level) / s);
            }
        }

        @Override
        public double scaleTarget(double[] values, int offset, int length, double level, double stepRms,
                                  double target) {
            return clipped((target - values[offset + length - 1]) / errorUnit(values, offset, length, stepRms));
        }

        @Override
        public double unscale(double[] values, int offset, int length, double level, double stepRms,
                              double output) {
            return values[offset + length - 1] + errorUnit(values, offset, length, stepRms) * output;
        }

        @Override
        public ModelDocument.ScalingSpec spec() {
            return new ModelDocument.ScalingSpec("sensor", null, null, clip);
        }
    }

    /**
     * An imported model's scaling ({@link ColumnScaling}), for a model fed one value per step: each reading goes
     * through the first feature's transform, the target through the target's, the output back through its inverse.
     */
    record Columns(ColumnScaling columns) implements Scaling {
        @Override
        public String kind() {
            return "columns";
        }

        @Override
        public void scaleWindow(double[] values, int offset, int length, double level, double stepRms,
                                double[] dst, int dstOffset) {
            ColumnScaling.Column first = columns.features().get(0);
            for (int t = 0; t < length; t++) {
                dst[dstOffset + t] = first.scale(values[offset + t]);
            }
        }

        @Override
        public double scaleTarget(double[] values, int offset, int length, double level, double stepRms,
                                  double target) {
            return columns.target().scale(target);
        }

        @Override
        public double unscale(double[] values, int offset, int length, double level, double stepRms,
                              double output) {
            return columns.target().unscale(output);
        }

        @Override
        public ModelDocument.ScalingSpec spec() {
            return columns.spec();
        }
    }
}
