package dev.streamcast.model;

import java.util.Arrays;

/**
 * Samples for supervised training: {@code size} input rows of {@code inputSize} values, stored end to end, and
 * one target per row. Rows keep the order they were added in, which is time order for a series.
 */
public final class TrainingSet {

    private final int inputSize;
    private double[] inputs;
    private double[] targets;
    private int size;

    public TrainingSet(int inputSize) {
        this(inputSize, 16);
    }

    public TrainingSet(int inputSize, int capacity) {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be positive, got " + inputSize);
        }
        this.inputSize = inputSize;
        this.inputs = new double[Math.max(1, capacity) * inputSize];
        this.targets = new double[Math.max(1, capacity)];
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

    /** Adds every sliding window of {@code series}. */
    public void addWindows(double[] series, int windowLength) {
        checkInputSize(windowLength);
        for (int i = 0; i + windowLength < series.length; i++) {
            add(series, i, series[i + windowLength]);
        }
    }

    /** Adds one row, {@code inputSize} values of {@code values} from {@code offset}, with its target. */
    public void add(double[] values, int offset, double target) {
        if (size == targets.length) {
            targets = Arrays.copyOf(targets, size * 2);
            inputs = Arrays.copyOf(inputs, size * 2 * inputSize);
        }
        System.arraycopy(values, offset, inputs, size * inputSize, inputSize);
        targets[size] = target;
        size++;
    }

    public void addAll(TrainingSet other) {
        checkInputSize(other.inputSize);
        for (int i = 0; i < other.size; i++) {
            add(other.inputs, i * inputSize, other.targets[i]);
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
        TrainingSet out = new TrainingSet(inputSize, Math.max(1, to - from));
        for (int i = from; i < to; i++) {
            out.add(inputs, i * inputSize, targets[i]);
        }
        return out;
    }

    public int size() {
        return size;
    }

    public int inputSize() {
        return inputSize;
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
}
