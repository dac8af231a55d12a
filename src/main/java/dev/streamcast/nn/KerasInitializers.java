package dev.streamcast.nn;

import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Keras's default initializers, so a fresh model starts the way a fresh Keras model does:
 * glorot_uniform kernels, an orthogonal recurrent kernel, zero biases with the LSTM's forget-gate bias 1
 * (unit_forget_bias); the GRU and SimpleRNN alike, without the forget gate. Reproducible: the same random generator
 * state gives the same weights.
 */
public final class KerasInitializers {

    private KerasInitializers() {
    }

    /** Initializes every layer of {@code network} in place. */
    public static void initialize(Sequential network, RandomGenerator random) {
        for (Layer layer : network.layers()) {
            if (layer instanceof Lstm lstm) {
                glorotUniform(lstm.kernel().value(), random);
                orthogonal(lstm.recurrentKernel().value(), random);
                lstm.bias().value().zero();
                // unit_forget_bias: the forget gate's columns U..2U-1 start at 1
                for (int j = lstm.units(); j < 2 * lstm.units(); j++) {
                    lstm.bias().value().data[j] = 1.0;
                }
            } else if (layer instanceof Dense dense) {
                glorotUniform(dense.kernel().value(), random);
                dense.bias().value().zero();
            } else if (layer instanceof Gru gru) {
                glorotUniform(gru.kernel().value(), random);
                orthogonal(gru.recurrentKernel().value(), random);
                gru.bias().value().zero();
            } else if (layer instanceof SimpleRnn rnn) {
                glorotUniform(rnn.kernel().value(), random);
                orthogonal(rnn.recurrentKernel().value(), random);
                rnn.bias().value().zero();
            } else if (!layer.parameters().isEmpty()) {
                throw new IllegalArgumentException("no initializer for layer type " + layer.type());
            }
        }
    }

    /** glorot_uniform: U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)), fan_in = rows, fan_out = cols. */
    public static void glorotUniform(DMatrixRMaj kernel, RandomGenerator random) {
        double limit = Math.sqrt(6.0 / (kernel.numRows + kernel.numCols));
        for (int k = 0; k < kernel.data.length && k < kernel.getNumElements(); k++) {
            kernel.data[k] = random.nextDouble(-limit, limit);
        }
    }

    /**
     * orthogonal (gain 1), as Keras computes it: draw a normal matrix of shape (max(r, c), min(r, c)), take its QR
     * decomposition, fix the signs with sign(diag(R)) so the result is unique, and transpose when r &lt; c.
     */
    public static void orthogonal(DMatrixRMaj kernel, RandomGenerator random) {
        int rows = kernel.numRows;
        int cols = kernel.numCols;
        int tall = Math.max(rows, cols);
        int narrow = Math.min(rows, cols);
        DMatrixRMaj a = new DMatrixRMaj(tall, narrow);
        for (int k = 0; k < a.getNumElements(); k++) {
            a.data[k] = random.nextGaussian();
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(tall, narrow);
        if (!qr.decompose(a.copy())) {
            throw new IllegalStateException("QR decomposition failed while initializing an orthogonal kernel");
        }
        DMatrixRMaj q = qr.getQ(null, true);
        DMatrixRMaj r = qr.getR(null, true);
        for (int j = 0; j < narrow; j++) {
            double sign = Math.signum(r.get(j, j));
            if (sign == 0) {
                sign = 1;
            }
            for (int i = 0; i < tall; i++) {
                q.set(i, j, q.get(i, j) * sign);
            }
        }
        if (rows < cols) {
            CommonOps_DDRM.transpose(q, kernel);
        } else {
            kernel.setTo(q);
        }
    }
}
