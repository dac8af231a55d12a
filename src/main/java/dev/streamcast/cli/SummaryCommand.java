package dev.streamcast.cli;

import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import dev.streamcast.model.ModelSummary;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamcast summary}: Keras's model.summary() for a model file or an architecture. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Prints each layer with its output shape and parameter count, and the totals.")
final class SummaryCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A model document or an architecture (e.g. config/model.json).")
    Path model;

    @Override
    public void run() {
        ModelDocument doc = ModelFiles.readDocument(model);
        String table;
        if (ModelCodec.hasWeights(doc) && doc.imported() != null) {
            // an imported model: any input shape, also one the stream cannot feed
            try {
                table = ModelSummary.of(doc, ModelCodec.toPredictor(doc));
            } catch (ModelFormatException e) {
                throw new UserInputException(model + ": " + e.getMessage(), e);
            }
        } else {
            table = ModelSummary.of(ModelFiles.toForecaster(model, doc, 0));
        }
        spec.commandLine().getOut().print(table);
        spec.commandLine().getOut().flush();
    }
}
