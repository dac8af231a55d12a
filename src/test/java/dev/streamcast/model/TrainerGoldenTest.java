package dev.streamcast.model;

import static dev.streamcast.nn.Golden.assertClose;
import static dev.streamcast.nn.Golden.assertCloseAsTensor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.nn.Golden;
import dev.streamcast.nn.Parameter;
import dev.streamcast.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The seed's whole fit (100 epochs, batch size 1, no shuffling: 400 Adam steps) against Keras's result. */
@Tag("unit")
class TrainerGoldenTest {

    static Iterable<String> goldenFiles() {
        return Golden.files();
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void seedFitOf400StepsEndsWhereKerasEnds(String file) {
        Golden golden = Golden.load(file);
        Sequential net = golden.seedModel();
        TrainingSet seed = TrainingSet.windows(new double[] {1, 2, 3, 4, 5, 6, 7}, 3);
        TrainingOptions options = TrainingOptions.DEFAULTS.withShuffle(false);
        List<Double> epochLosses = new ArrayList<>();
        TrainingHistory history = Trainer.fit(net, seed, new TrainingSet(3), options,
                (epoch, epochs, loss, validationLoss) -> epochLosses.add(loss));

        JsonNode fit = golden.root.path("fit_100_epochs_batch_1");
        double[] expectedLoss = Golden.values(fit.path("loss_history"));
        assertClose(expectedLoss, history.loss().stream().mapToDouble(Double::doubleValue).toArray(), 1e-3, 0,
                file + " loss history");
        assertClose(expectedLoss, epochLosses.stream().mapToDouble(Double::doubleValue).toArray(), 1e-3, 0,
                file + " losses told to the listener");
        for (Parameter p : net.parameters()) {
            assertCloseAsTensor(Golden.values(fit.path("weights").path(p.name())), p.value().data, 1e-4,
                    file + " " + p.name() + " after the fit");
        }
        assertClose(new double[] {fit.path("prediction_5_6_7").asDouble()},
                new double[] {net.predictOne(new double[] {5, 6, 7})}, 0, 1e-3, file + " prediction for [5, 6, 7]");
    }
}
