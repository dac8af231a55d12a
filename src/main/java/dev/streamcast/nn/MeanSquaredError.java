package dev.streamcast.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * Keras's loss {@code 'mse'}: the mean over the batch of each sample's mean squared error.
 *
 * <pre>
 *   L = 1/(B*n) * sum_b sum_k (y_bk - t_bk)^2
 *   dL/dy_bk = 2 (y_bk - t_bk) / (B*n)
 * </pre>
 */
public final class MeanSquaredError {

    private MeanSquaredError() {
    }

    public static double loss(DMatrixRMaj predictions, DMatrixRMaj targets) {
        checkShapes(predictions, targets);
        double sum = 0;
        int n = predictions.getNumElements();
        for (int k = 0; k < n; k++) {
            double d = predictions.data[k] - targets.data[k];
            sum += d * d;
        }
        return sum / n;
    }

    /** Writes dL/dpredictions into {@code gradient} (reshaped to match) and returns the loss. */
    public static double lossAndGradient(DMatrixRMaj predictions, DMatrixRMaj targets, DMatrixRMaj gradient) {
        checkShapes(predictions, targets);
        gradient.reshape(predictions.numRows, predictions.numCols);
        int n = predictions.getNumElements();
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double d = predictions.data[k] - targets.data[k];
            sum += d * d;
            gradient.data[k] = 2.0 * d / n;
        }
        return sum / n;
    }

    private static void checkShapes(DMatrixRMaj predictions, DMatrixRMaj targets) {
        if (predictions.numRows != targets.numRows || predictions.numCols != targets.numCols) {
            throw new IllegalArgumentException("predictions [" + predictions.numRows + ", " + predictions.numCols
                    + "] and targets [" + targets.numRows + ", " + targets.numCols + "] differ in shape");
        }
    }
}
