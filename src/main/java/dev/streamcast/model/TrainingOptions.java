package dev.streamcast.model;

import dev.streamcast.nn.Adam;

/**
 * How to fit: Keras's {@code fit} arguments plus early stopping and gradient clipping.
 *
 * @param epochs           passes over the training set
 * @param batchSize        samples per Adam step (the last batch of an epoch may be smaller)
 * @param shuffle          reshuffle the training rows before each epoch, as Keras does unless told not to
 * @param seed             seeds the initialisation of a fresh model and the shuffling
 * @param learningRate     Adam's learning rate
 * @param validationSplit  fraction of each series' most recent windows held out (time-ordered, never shuffled)
 * @param patience         stop after this many epochs without a better validation loss and keep the best
 *                         weights; 0 never stops early
 * @param clipNorm         clip the global gradient norm to this; 0 does not clip
 */
public record TrainingOptions(int epochs, int batchSize, boolean shuffle, long seed, double learningRate,
                              double validationSplit, int patience, double clipNorm) {

    /** The seed's fit: 100 epochs, batch size 1, shuffled, Adam at Keras's default learning rate. */
    public static final TrainingOptions DEFAULTS =
            new TrainingOptions(100, 1, true, 0L, Adam.DEFAULT_LEARNING_RATE, 0.0, 0, 0.0);

    public TrainingOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validation split must be in [0, 1), got " + validationSplit);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be 0 or more, got " + patience);
        }
        if (!(clipNorm >= 0)) {
            throw new IllegalArgumentException("clip norm must be 0 or more, got " + clipNorm);
        }
    }

    public TrainingOptions withEpochs(int value) {
        return new TrainingOptions(value, batchSize, shuffle, seed, learningRate, validationSplit, patience, clipNorm);
    }

    public TrainingOptions withBatchSize(int value) {
        return new TrainingOptions(epochs, value, shuffle, seed, learningRate, validationSplit, patience, clipNorm);
    }

    public TrainingOptions withShuffle(boolean value) {
        return new TrainingOptions(epochs, batchSize, value, seed, learningRate, validationSplit, patience, clipNorm);
    }

    public TrainingOptions withSeed(long value) {
        return new TrainingOptions(epochs, batchSize, shuffle, value, learningRate, validationSplit, patience,
                clipNorm);
    }

    public TrainingOptions withLearningRate(double value) {
        return new TrainingOptions(epochs, batchSize, shuffle, seed, value, validationSplit, patience, clipNorm);
    }

    public TrainingOptions withValidationSplit(double value) {
        return new TrainingOptions(epochs, batchSize, shuffle, seed, learningRate, value, patience, clipNorm);
    }

    public TrainingOptions withPatience(int value) {
        return new TrainingOptions(epochs, batchSize, shuffle, seed, learningRate, validationSplit, value, clipNorm);
    }

    public TrainingOptions withClipNorm(double value) {
        return new TrainingOptions(epochs, batchSize, shuffle, seed, learningRate, validationSplit, patience, value);
    }
}
