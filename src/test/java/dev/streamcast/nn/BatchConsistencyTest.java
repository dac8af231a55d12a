package dev.streamcast.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine computes a batch with other loops than a single sample (see Lstm): each sample's output must still
 * be the one it gets alone, bit for bit, for every activation, several features per step and batches larger
 * than a slice.
 */
@Tag("unit")
class BatchConsistencyTest {

    @ParameterizedTest
    @EnumSource(Activation.class)
    void eachSampleOfABatchGetsTheOutputItGetsAlone(Activation activation) {
        for (Activation recurrent : List.of(Activation.SIGMOID, Activation.HARD_SIGMOID)) {
            Sequential net = new Sequential(List.of(new Lstm("lstm", 6, 4, 2, activation, recurrent),
                    new Dense("dense1", 6, 3, Activation.RELU), new Dense("dense2", 3, 2, Activation.LINEAR)));
            SplittableRandom random = new SplittableRandom(activation.ordinal() * 10L + recurrent.ordinal());
            KerasInitializers.initialize(net, random);
            for (Parameter p : net.parameters()) {
                if (p.isVector()) {
                    for (int k = 0; k < p.size(); k++) {
                        p.value().data[k] = random.nextDouble(-0.5, 0.5);
                    }
                }
            }
            for (int batch : new int[] {2, 5, 300}) {
                DMatrixRMaj x = new DMatrixRMaj(batch, net.inputSize());
                for (int k = 0; k < x.data.length; k++) {
                    x.data[k] = random.nextDouble(-3, 3);
                }
                double[] outputs = net.forward(x).data.clone();
                Sequential alone = net.copy();
                DMatrixRMaj row = new DMatrixRMaj(1, net.inputSize());
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(x.data, r * x.numCols, row.data, 0, x.numCols);
                    double[] one = alone.forward(row).data;
                    for (int j = 0; j < net.outputSize(); j++) {
                        assertEquals(Double.doubleToLongBits(one[j]),
                                Double.doubleToLongBits(outputs[r * net.outputSize() + j]),
                                activation + "/" + recurrent + ", batch " + batch + ", sample " + r + ", output " + j);
                    }
                }
            }
        }
    }
}
