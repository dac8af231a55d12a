package dev.streamcast.model;

import dev.streamcast.nn.Adam;
import dev.streamcast.nn.MeanSquaredError;
import dev.streamcast.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * Fits networks and forecasters: Keras's {@code fit(x, y, epochs, batch_size, shuffle, validation_split)} with
 * Adam and mean squared error, plus early stopping on the validation loss.
 */
public final class Trainer {

    private Trainer() {
    }

    /** A trained forecaster with how it got there and the samples it saw. */
    public record Result(Forecaster forecaster, TrainingHistory history, int trainingSamples, int validationSamples) {
    }

    /**
     * Trains a copy of {@code start}'s network on the sliding windows of each series, holding out the most recent
     * {@code validationSplit} of each series' windows. {@code scaling} replaces the start's scaling (a fresh model
     * fits its scaling to the data first). The result carries the start's identity; the caller gives it a new one.
     */
    public static Result train(Forecaster start, Scaling scaling, List<double[]> series, TrainingOptions options,
                               EpochListener listener) {
        return train(start, scaling, series, options, listener, start.newTrainingSet(16));
    }

    /**
     * As {@link #train(Forecaster, Scaling, List, TrainingOptions, EpochListener)}, with {@code extra} raw samples
     * (windows and the values after them, e.g. from the stream's replay buffer) added to the training rows.
     */
    public static Result train(Forecaster start, Scaling scaling, List<double[]> series, TrainingOptions options,
                               EpochListener listener, TrainingSet extra) {
        int length = start.windowLength();
        TrainingSet train = start.newTrainingSet(Math.max(16, extra.size()));
        train.addAll(extra);
        TrainingSet validation = start.newTrainingSet(16);
        for (double[] s : series) {
            TrainingSet windows = TrainingSet.windows(s, length);
            // Keras: split_at = int(n * (1 - validation_split)); the rows after it are held out.
            int splitAt = (int) (windows.size() * (1.0 - options.validationSplit()));
            train.addAll(windows.slice(0, splitAt));
            validation.addAll(windows.slice(splitAt, windows.size()));
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training windows: every series needs more than " + length
                    + " values (and enough left after the validation split)");
        }
        Sequential network = start.network().copy();
        TrainingHistory history = fit(network, scale(train, scaling), scale(validation, scaling), options, listener);
        Forecaster trained = new Forecaster(start.modelId(), start.version(), start.createdAt(), length,
                start.features(), scaling, network, start.training());
        return new Result(trained, history, train.size(), validation.size());
    }

    /**
     * The windows and targets of {@code raw} in the network's units: each row's features as
     * {@link Features#scaleRow} scales them, the target as the scaling scales it after the row's values.
     */
    public static TrainingSet scale(TrainingSet raw, Scaling scaling) {
        int length = raw.inputSize();
        TrainingSet out = new TrainingSet(length, Math.max(1, raw.size()));
        double[] row = new double[length];
        Features features = raw.features();
        if (!features.isValueOnly()) {
            int w = raw.windowLength();
            double[] values = new double[w];
            for (int i = 0; i < raw.size(); i++) {
                features.valueWindow(raw.inputs(), i * length, w, values);
                features.scaleRow(scaling, raw.inputs(), i * length, w, raw.level(i), raw.stepRms(i), values, row, 0);
                out.add(row, 0, scaling.scaleTarget(values, 0, w, raw.level(i), raw.stepRms(i), raw.target(i)));
            }
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            scaling.scaleWindow(raw.inputs(), i * length, length, raw.level(i), raw.stepRms(i), row, 0);
            out.add(row, 0, scaling.scaleTarget(raw.inputs(), i * length, length, raw.level(i), raw.stepRms(i),
                    raw.target(i)));
        }
        return out;
    }

    /**
     * Fits {@code network} in place. Each epoch visits the training rows in order or, with shuffle, in a fresh
     * permutation from the seeded generator; each batch is one Adam step on the mean squared error.
     * With patience > 0 the fit stops once the monitored loss (validation loss, or the training loss when nothing
     * is held out) has not improved for that many epochs, and the best epoch's weights are restored.
     */
    public static TrainingHistory fit(Sequential network, TrainingSet train, TrainingSet validation,
                                      TrainingOptions options, EpochListener listener) {
        int n = train.size();
        int inputSize = network.inputSize();
        if (train.inputSize() != inputSize) {
            throw new IllegalArgumentException("training rows have " + train.inputSize() + " values, the network takes "
                    + inputSize);
        }
        Adam adam = new Adam(network.parameters(), options.learningRate(), Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2,
                Adam.DEFAULT_EPSILON, options.clipNorm());
        SplittableRandom random = new SplittableRandom(options.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int batchSize = Math.min(options.batchSize(), n);
        DMatrixRMaj x = new DMatrixRMaj(batchSize, inputSize);
        DMatrixRMaj y = new DMatrixRMaj(batchSize, 1);
        DMatrixRMaj gradient = new DMatrixRMaj(batchSize, 1);
        DMatrixRMaj validationX = toMatrix(validation);
        DMatrixRMaj validationY = targets(validation);

        List<Double> losses = new ArrayList<>();
        List<Double> validationLosses = new ArrayList<>();
        boolean monitorValidation = validation != null && validation.size() > 0;
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        Sequential bestWeights = options.patience() > 0 ? network.copy() : null;
        boolean stoppedEarly = false;
        double[] inputs = train.inputs();
        double[] targets = train.targets();

        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            if (options.shuffle()) {
                // Fisher-Yates
                for (int i = n - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int tmp = order[i];
                    order[i] = order[j];
                    order[j] = tmp;
                }
            }
            double lossSum = 0;
            for (int start = 0; start < n; start += batchSize) {
                int rows = Math.min(batchSize, n - start);
                x.reshape(rows, inputSize);
                y.reshape(rows, 1);
                for (int r = 0; r < rows; r++) {
                    int sample = order[start + r];
                    System.arraycopy(inputs, sample * inputSize, x.data, r * inputSize, inputSize);
                    y.data[r] = targets[sample];
                }
                network.zeroGradients();
                DMatrixRMaj predictions = network.forward(x);
                lossSum += rows * MeanSquaredError.lossAndGradient(predictions, y, gradient);
                network.backward(gradient);
                adam.step();
            }
            double loss = lossSum / n;
            losses.add(loss);
            double validationLoss = Double.NaN;
            if (monitorValidation) {
                validationLoss = MeanSquaredError.loss(network.forward(validationX), validationY);
                validationLosses.add(validationLoss);
            }
            listener.epochEnded(epoch, options.epochs(), loss, validationLoss);
            double monitored = monitorValidation ? validationLoss : loss;
            if (monitored < best) {
                best = monitored;
                bestEpoch = epoch;
                if (bestWeights != null) {
                    bestWeights.setWeights(network);
                }
            } else if (options.patience() > 0 && epoch - bestEpoch >= options.patience()) {
                stoppedEarly = true;
                break;
            }
        }
        if (bestWeights != null && bestEpoch > 0) {
            network.setWeights(bestWeights);
        } else {
            bestEpoch = losses.size();
        }
        return new TrainingHistory(List.copyOf(losses), List.copyOf(validationLosses), bestEpoch, stoppedEarly);
    }

    static DMatrixRMaj toMatrix(TrainingSet set) {
        if (set == null || set.size() == 0) {
            return new DMatrixRMaj(0, 0);
        }
        DMatrixRMaj m = new DMatrixRMaj(set.size(), set.inputSize());
        System.arraycopy(set.inputs(), 0, m.data, 0, set.size() * set.inputSize());
        return m;
    }

    static DMatrixRMaj targets(TrainingSet set) {
        if (set == null || set.size() == 0) {
            return new DMatrixRMaj(0, 0);
        }
        DMatrixRMaj m = new DMatrixRMaj(set.size(), 1);
        System.arraycopy(set.targets(), 0, m.data, 0, set.size());
        return m;
    }
}
