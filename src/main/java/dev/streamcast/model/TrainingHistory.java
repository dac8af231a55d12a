package dev.streamcast.model;

import java.util.List;

/**
 * What a fit did, epoch by epoch, as Keras's History: {@code loss} is the mean of the batch losses of each
 * epoch (each computed before its Adam step); {@code validationLoss} the loss on the held-out samples after
 * each epoch (empty without a holdout).
 *
 * @param bestEpoch     the epoch (1-based) whose weights were kept
 * @param stoppedEarly  whether early stopping ended the fit before its last epoch
 */
public record TrainingHistory(List<Double> loss, List<Double> validationLoss, int bestEpoch, boolean stoppedEarly) {

    public int epochs() {
        return loss.size();
    }

    public double finalLoss() {
        return loss.get(loss.size() - 1);
    }
}
