package dev.streamcast.cli;

import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.keras.KerasFileWriter;
import dev.streamcast.keras.TfjsModelWriter;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast export}: a trained model document as a Keras 3 {@code .keras} file ({@link KerasFileWriter}) or a
 * TensorFlow.js layers model ({@link TfjsModelWriter}), with the model's scaling beside it in a small JSON file (the
 * document's {@code scaling}, which {@code streamcast import --scaling} reads back), so that a notebook feeds the
 * model what the stream fed it.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Exports a trained model as a Keras 3 .keras file or a TensorFlow.js layers model, with its "
                + "scaling beside it.")
final class ExportCommand implements Runnable {

    /** The formats, as --format names them. */
    enum Format {
        keras, tfjs
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A trained model document (model.json).")
    Path model;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "keras: a Keras 3 .keras file (keras.saving.load_model reads it); tfjs: a TensorFlow.js "
                    + "layers model, model.json and weights.bin in a folder (tf.loadLayersModel reads it).")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "PATH",
            description = "keras: the .keras file to write (its scaling goes to NAME.scaling.json beside it); tfjs: "
                    + "the folder to write model.json, weights.bin and scaling.json into.")
    Path out;

    @Override
    public void run() {
        ModelDocument doc = ModelFiles.readDocument(model);
        if (!ModelCodec.hasWeights(doc)) {
            throw new UserInputException(model + ": an architecture without weights; train it first with "
                    + "'streamcast train --model " + model + " --data FILE.csv'");
        }
        String name = out.getFileName() == null ? "" : out.getFileName().toString();
        Path scalingFile;
        String what;
        try {
            if (format == Format.keras) {
                if (!name.endsWith(".keras") || name.equals(".keras")) {
                    throw new UserInputException("--out: " + out + ": a Keras 3 model file must end in .keras (Keras "
                            + "loads no other name)");
                }
                byte[] file = KerasFileWriter.write(doc);
                ModelFiles.writeAtomically(out, file);
                scalingFile = out.resolveSibling(name.substring(0, name.length() - ".keras".length())
                        + ".scaling.json");
                what = "a Keras " + KerasFileWriter.KERAS_VERSION + " .keras file";
            } else {
                if (Files.exists(out) && !Files.isDirectory(out)) {
                    throw new UserInputException("--out: " + out + ": is a file; a TensorFlow.js model is a folder "
                            + "(model.json, " + TfjsModelWriter.WEIGHTS_FILE + ")");
                }
                TfjsModelWriter.TfjsModel tfjs = TfjsModelWriter.write(doc, streamcastVersion());
                // the weights first: model.json, which names them, then never lists a file that is not there
                ModelFiles.writeAtomically(out.resolve(TfjsModelWriter.WEIGHTS_FILE), tfjs.weights());
                ModelFiles.writeAtomically(out.resolve("model.json"), tfjs.modelJson());
                scalingFile = out.resolve("scaling.json");
                what = "a TensorFlow.js layers model (tfjs-layers " + TfjsModelWriter.TFJS_LAYERS_VERSION + ")";
            }
        } catch (ModelFormatException e) {
            throw new UserInputException(model + ": " + e.getMessage(), e);
        }
        ModelFiles.writeAtomically(scalingFile, ModelCodec.writeScaling(doc.scaling()));
        String layers = doc.layers().stream().map(l -> l.units() == null ? l.type() : l.type() + "(" + l.units() + ")")
                .collect(Collectors.joining(" -> "));
        PrintWriter printer = spec.commandLine().getOut();
        printer.println("exported " + model.getFileName() + " (" + doc.modelId()
                + (doc.version() == null ? "" : " v" + doc.version()) + ": " + layers
                + ") as " + what + " -> " + out + "; scaling " + doc.scaling().kind() + " -> " + scalingFile);
        printer.flush();
    }

    private static String streamcastVersion() {
        try {
            return new StreamcastVersion().getVersion()[0];
        } catch (IOException e) {
            throw new IllegalStateException("version.properties is unreadable", e);
        }
    }
}
