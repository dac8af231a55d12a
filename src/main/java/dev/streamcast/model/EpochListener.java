package dev.streamcast.model;

/** Told after each epoch of a fit; the command line prints progress with it. */
@FunctionalInterface
public interface EpochListener {

    /** @param validationLoss NaN when nothing is held out */
    void epochEnded(int epoch, int epochs, double loss, double validationLoss);

    EpochListener NONE = (epoch, epochs, loss, validationLoss) -> { };
}
