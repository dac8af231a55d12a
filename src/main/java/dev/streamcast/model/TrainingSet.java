package dev.streamcast.model;

import java.util.Arrays;

/**
 * Samples for supervised training: {@code size} input rows of {@code inputSize} values, stored end to end, one
 * target per row, and per row the context of its sensor when the row's last value was read (its running level
 * and step RMS, {@link SensorStats}), which the sensor scaling needs to scale the row as it was forecast. Rows
 * keep the order they were added in, which is time order for a series.
 *
 * <p>A row is a window of {@code windowLength} steps of {@link Features} (step-major, {@link Features#writeStep}'s
 * raw numbers); with {@link Features#VALUE}, the seed's, a row is the window's values and inputSize its length.
 */
public final class TrainingSet {

    private final int inputSize;
    private final Features features;
    private double[] inputs;
    private double[] targets;
    private double[] levels;
    private double[] stepRms;
    private int size;

    public TrainingSet(int inputSize) {
        this(inputSize, 16);
    }

    public TrainingSet(int inputSize, int capacity) {
        this(inputSize, Features.VALUE, capacity);
    }

    /** Rows of {@code windowLength} steps of {@code features}. */
    public TrainingSet(int windowLength, Features features, int capacity) {
        if (windowLength < 1) {
            throw new IllegalArgumentException("inputSize must be positive, got " + windowLength);
        }
        this.features = features;
        this.inputSize = windowLength * features.count();
        this.inputs = new double[Math.max(1, capacity) * inputSize];
        this.targets = new double[Math.max(1, capacity)];
        this.levels = new double[Math.max(1, capacity)];
        this.stepRms = new double[Math.max(1, capacity)];
    }

    /**
     * The sliding windows of a series: row i is series[i .. i+L-1], its target series[i+L]. The seed's 1..7 with
     * L = 3 gives x = [[1,2,3],[2,3,4],[3,4,5],[4,5,6]], y = [4,5,6,7].
     */
    public static TrainingSet windows(double[] series, int windowLength) {
        TrainingSet set = new TrainingSet(windowLength, Math.max(1, series.length - windowLength));
        set.addWindows(series, windowLength);
        return set;
    }

    /**
     * The sliding windows of a series of readings {@code stepMs} apart from {@code startMs}, each step carrying
     * {@code features} (no season: its offset 0), each row with its sensor's context as {@link #addWindows} gives it.
     * With {@link Features#VALUE}, {@link #windows(double[], int)}.
     */
    public static TrainingSet windows(double[] series, long startMs, long stepMs, int windowLength,
                                      Features features) {
        if (features.isValueOnly()) {
            return windows(series, windowLength);
        }
        int f = features.count();
        TrainingSet set = new TrainingSet(windowLength, features, Math.max(1, series.length - windowLength));
        double[] row = new double[windowLength * f];
        SensorStats stats = SensorStats.EMPTY;
        for (int i = 0; i < windowLength - 1 && i < series.length; i++) {
            stats = stats.next(series[i]);
        }
        for (int i = 0; i + windowLength < series.length; i++) {
            stats = stats.next(series[i + windowLength - 1]);
            for (int k = 0; k < windowLength; k++) {
                features.writeStep(series[i + k], 0, startMs + (i + k) * stepMs, row, k * f);
            }
            set.add(row, 0, stats.level(), stats.stepRms(), series[i + windowLength]);
        }
        return set;
    }

    /**
     * Adds every sliding window of {@code series}, each with the context of a sensor whose history is the series
     * up to the window's last value: what the stream's sensor statistics hold when it forecasts that window.
     */
    public void addWindows(double[] series, int windowLength) {
        checkInputSize(windowLength);
        if (!features.isValueOnly()) {
            throw new IllegalArgumentException("a series' sliding windows carry the value alone, not " + features);
        }
        SensorStats stats = SensorStats.EMPTY;
        for (int i = 0; i < windowLength - 1 && i < series.length; i++) {
            stats = stats.next(series[i]);
        }
        for (int i = 0; i + windowLength < series.length; i++) {
            stats = stats.next(series[i + windowLength - 1]);
            add(series, i, stats.level(), stats.stepRms(), series[i + windowLength]);
        }
    }

    /**
     * Adds one row, {@code inputSize} values of {@code values} from {@code offset}, with its target and, as it
     * comes without its sensor's statistics, the context the row alone gives ({@link SensorStats#levelOf}).
     */
    public void add(double[] values, int offset, double target) {
        add(values, offset, SensorStats.levelOf(values, offset, inputSize), SensorStats.stepRmsOf(values, offset,
                inputSize), target);
    }

    /** Adds one row with its sensor's running {@code level} and {@code stepRms} and its target. */
    public void add(double[] values, int offset, double level, double stepRms, double target) {
        if (size == targets.length) {
            targets = Arrays.copyOf(targets, size * 2);
            levels = Arrays.copyOf(levels, size * 2);
            this.stepRms = Arrays.copyOf(this.stepRms, size * 2);
            inputs = Arrays.copyOf(inputs, size * 2 * inputSize);
        }
        System.arraycopy(values, offset, inputs, size * inputSize, inputSize);
        targets[size] = target;
        levels[size] = level;
        this.stepRms[size] = stepRms;
        size++;
    }

    public void addAll(TrainingSet other) {
        checkInputSize(other.inputSize);
        if (!other.features.equals(features)) {
            throw new IllegalArgumentException("rows of features " + other.features + " do not fit a set of "
                    + features);
        }
        for (int i = 0; i < other.size; i++) {
            add(other.inputs, i * inputSize, other.levels[i], other.stepRms[i], other.targets[i]);
        }
    }

    private void checkInputSize(int otherSize) {
        if (otherSize != inputSize) {
            throw new IllegalArgumentException("rows of " + otherSize + " values do not fit a set of rows of "
                    + inputSize);
        }
    }

    /** Rows [from, to) as a new set. */
    public TrainingSet slice(int from, int to) {
        TrainingSet out = new TrainingSet(windowLength(), features, Math.max(1, to - from));
        for (int i = from; i < to; i++) {
            out.add(inputs, i * inputSize, levels[i], stepRms[i], targets[i]);
        }
        return out;
    }

    public int size() {
        return size;
    }

    public int inputSize() {
        return inputSize;
    }

    /** What each step of a row carries. */
    public Features features() {
        return features;
    }

    /** The steps of a row. */
    public int windowLength() {
        return inputSize / features.count();
    }

    /** The value of row i's last step (the naive forecast of its target). */
    public double lastValue(int i) {
        return features.lastValue(inputs, i * inputSize, windowLength());
    }

    /**
     * The same rows with only the features of {@code subset} (a model of fewer features scored on them), in its
     * order.
     *
     * @throws IllegalArgumentException when {@code subset} has a feature these rows lack
     */
    public TrainingSet project(Features subset) {
        if (subset.equals(features)) {
            return this;
        }
        if (!subset.isSubsetOf(features)) {
            throw new IllegalArgumentException("rows of features " + features + " do not hold " + subset);
        }
        int w = windowLength();
        int from = features.count();
        int to = subset.count();
        int[] source = new int[to];
        for (int k = 0; k < to; k++) {
            source[k] = features.indexOf(subset.get(k));
        }
        TrainingSet out = new TrainingSet(w, subset, Math.max(1, size));
        double[] row = new double[w * to];
        for (int i = 0; i < size; i++) {
            for (int t = 0; t < w; t++) {
                for (int k = 0; k < to; k++) {
                    row[t * to + k] = inputs[i * inputSize + t * from + source[k]];
                }
            }
            out.add(row, 0, levels[i], stepRms[i], targets[i]);
        }
        return out;
    }

    /** The backing array of inputs; row i starts at i * inputSize. Valid until the next add. */
    public double[] inputs() {
        return inputs;
    }

    /** The backing array of targets. Valid until the next add. */
    public double[] targets() {
        return targets;
    }

    public double[] row(int i) {
        return Arrays.copyOfRange(inputs, i * inputSize, (i + 1) * inputSize);
    }

    public double target(int i) {
        return targets[i];
    }

    /** The running level of row i's sensor when the row's last value was read. */
    public double level(int i) {
        return levels[i];
    }

    /** The running step RMS of row i's sensor when the row's last value was read. */
    public double stepRms(int i) {
        return stepRms[i];
    }
}
