package dev.streamcast.cli;

import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.keras.KerasImporter;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import dev.streamcast.model.Predictor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast import}: a Keras model file ({@code .keras}, or legacy {@code .h5} from Keras 2 or 3) as a model
 * document ({@link KerasImporter}). Prints what it read, and whether the stream can feed the model.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Imports a Keras Sequential model (.keras, .h5 from Keras 2 or 3, or a TensorFlow.js model.json) "
                + "as a model document.")
final class ImportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The Keras file: model.save(\"x.keras\") or "
            + "model.save(\"x.h5\"); or a TensorFlow.js layers model's model.json.")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The model document to write.")
    Path out;

    @Option(names = "--model-id", paramLabel = "ID", defaultValue = "default",
            description = "The model id the document carries (default: ${DEFAULT-VALUE}).")
    String modelId;

    @Option(names = "--scaling", paramLabel = "FILE",
            description = "What the notebook did to the data outside the model: {\"features\": [one entry per input "
                    + "feature], \"target\": {...}}, each {\"kind\": \"none\"}, {\"kind\": \"minmax\", \"min\": .., "
                    + "\"max\": ..} or {\"kind\": \"standard\", \"mean\": .., \"std\": ..}. Without it, raw values.")
    Path scaling;

    @Option(names = "--features", paramLabel = "NAMES", split = ",",
            description = "What the stream feeds each step of an input (T, F), in order, comma-separated, as "
                    + "model.features names them (value, season, day.sin, day.cos, week.sin, week.cos; value "
                    + "required). Without it, a model of more than one feature per step is for 'streamcast predict' "
                    + "only.")
    List<String> features;

    @Override
    public void run() {
        if (modelId.isBlank()) {
            throw new UserInputException("--model-id: must not be blank");
        }
        ModelDocument.ScalingSpec scalingSpec = scaling == null ? null : readScaling(scaling);
        ModelDocument doc;
        try {
            doc = KerasImporter.importFile(file, modelId, scalingSpec, features);
        } catch (ModelFormatException e) {
            throw new UserInputException(file + ": " + e.getMessage(), e);
        }
        ModelFiles.writeAtomically(out, ModelCodec.write(doc));
        Predictor predictor = ModelCodec.toPredictor(doc);  // checked by the import: it builds
        String layers = doc.layers().stream().map(l -> l.units() == null ? l.type() : l.type() + "(" + l.units() + ")")
                .collect(Collectors.joining(" -> "));
        PrintWriter printer = spec.commandLine().getOut();
        String version = doc.imported().kerasVersion();
        printer.println("imported " + file.getFileName() + " (" + (version.startsWith("tfjs") ? "" : "Keras ") + version
                + "): input "
                + shape(predictor.inputShape()) + ", " + layers + ", " + predictor.network().parameterCount()
                + " parameters, " + predictor.outputSize() + " output" + (predictor.outputSize() == 1 ? "" : "s")
                + " -> " + out);
        try {
            ModelCodec.toForecaster(doc, 0);
            printer.println("the stream can serve it: window length " + doc.windowLength() + ", scaling "
                    + doc.scaling().kind() + (doc.features() == null ? "" : ", features "
                    + String.join(",", doc.features()) + " (model.features must be the same)"));
        } catch (ModelFormatException e) {
            printer.println("the stream cannot serve it: " + e.getMessage());
        }
        printer.flush();
    }

    private static String shape(int[] shape) {
        String inner = Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(", "));
        return "(" + inner + (shape.length == 1 ? ",)" : ")");
    }

    private static ModelDocument.ScalingSpec readScaling(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UserInputException("--scaling: " + path + ": no such file");
        } catch (IOException e) {
            throw new UserInputException("--scaling: " + path + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return ModelCodec.parseScaling(bytes);
        } catch (ModelFormatException e) {
            throw new UserInputException("--scaling: " + path + ": " + e.getMessage(), e);
        }
    }
}
