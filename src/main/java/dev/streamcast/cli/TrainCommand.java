package dev.streamcast.cli;

import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.Scaling;
import dev.streamcast.model.Trainer;
import dev.streamcast.model.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast train}: fits a model offline on a CSV file. An architecture starts from Keras's seeded
 * initialisation; a model document starts from its weights and becomes the next version.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains a model on the series of a CSV file and writes the model document.")
final class TrainCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "An architecture (fresh start) or a model document (its weights are the starting point).")
    Path model;

    @Mixin
    SeriesOptions input;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1",
            description = "Samples per Adam step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--no-shuffle",
            description = "Keep the samples in order in every epoch (Keras shuffles by default).")
    boolean noShuffle;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seeds initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scaling", paramLabel = "KIND",
            description = "sensor, window, standard or none (default: the model's own, sensor for an architecture).")
    String scaling;

    @Option(names = "--validation-split", defaultValue = "0", paramLabel = "F",
            description = "Hold out the most recent fraction F of each series' windows (default: ${DEFAULT-VALUE}).")
    double validationSplit;

    @Option(names = "--patience", defaultValue = "0", paramLabel = "N",
            description = "Stop after N epochs without a better validation loss, keeping the best (default: off).")
    int patience;

    @Option(names = "--learning-rate", paramLabel = "RATE", defaultValue = "0.001",
            description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--clip-norm", paramLabel = "NORM", defaultValue = "0",
            description = "Clip the gradient norm to this (default: off).")
    double clipNorm;

    @Option(names = "--out", defaultValue = "trained-model.json", paramLabel = "FILE",
            description = "Where to write the trained model (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public void run() {
        TrainingOptions options;
        try {
            options = new TrainingOptions(epochs, batchSize, !noShuffle, seed, learningRate, validationSplit, patience,
                    clipNorm);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        ModelDocument doc = ModelFiles.readDocument(model);
        Forecaster start = ModelFiles.toForecaster(model, doc, seed);
        boolean fresh = !ModelCodec.hasWeights(doc);
        Map<String, double[]> series = input.read(start.windowLength());
        Scaling chosen = chooseScaling(start, series);

        PrintWriter printer = spec.commandLine().getOut();
        printer.printf("training %s on %d series from %s (%s scaling, %d epochs, batch size %d)%n",
                fresh ? "a fresh " + model.getFileName() : model.getFileName() + " version " + start.version(),
                series.size(), input.data, chosen.kind(), epochs, batchSize);
        printer.flush();
        long started = System.nanoTime();
        Trainer.Result result;
        try {
            result = Trainer.train(start, chosen, new ArrayList<>(series.values()), options,
                    (epoch, total, loss, validationLoss) -> {
                        printer.printf("epoch %d/%d  loss %.6g%s%n", epoch, total, loss,
                                Double.isNaN(validationLoss) ? "" : String.format("  val_loss %.6g", validationLoss));
                        printer.flush();
                    });
        } catch (IllegalArgumentException e) {
            throw new UserInputException(input.data + ": " + e.getMessage(), e);
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        double validationRmse = result.history().validationLoss().isEmpty() ? Double.NaN
                : Math.sqrt(result.history().validationLoss().get(result.history().bestEpoch() - 1));
        long version = fresh ? 1 : start.version() + 1;
        ModelDocument.TrainingInfo info = new ModelDocument.TrainingInfo((long) result.trainingSamples(),
                result.history().epochs(), Double.isNaN(validationRmse) ? null : validationRmse, null, null,
                fresh ? null : start.version(), "trained offline from " + input.data.getFileName(), durationMs);
        Forecaster trained = result.forecaster().withIdentity(start.modelId(), version, Instant.now().toString(), info);
        ModelFiles.writeAtomically(out, ModelCodec.write(ModelCodec.toDocument(trained)));
        printer.printf("wrote %s: model '%s' version %d, %d training samples, %d validation samples, final loss "
                        + "%.6g%s, %d ms%n",
                out, trained.modelId(), version, result.trainingSamples(), result.validationSamples(),
                result.history().finalLoss(), result.history().stoppedEarly()
                        ? " (stopped early; kept epoch " + result.history().bestEpoch() + ")" : "", durationMs);
        printer.flush();
    }

    private Scaling chooseScaling(Forecaster start, Map<String, double[]> series) {
        if (scaling == null) {
            return start.scaling();
        }
        switch (scaling) {
            case "sensor":
                return new Scaling.Sensor();
            case "none":
                return new Scaling.None();
            case "window":
                return new Scaling.Window();
            case "standard":
                return Scaling.Standard.fit(series.values());
            default:
                throw new UserInputException("--scaling: unknown '" + scaling
                        + "'; expected sensor, window, standard or none");
        }
    }
}
