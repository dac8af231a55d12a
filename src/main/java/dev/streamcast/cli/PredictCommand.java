package dev.streamcast.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import dev.streamcast.model.Predictor;
import dev.streamcast.model.SensorStats;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast predict}: the forecast of a trained model for one window. Readings given before the window are
 * the sensor's history: they set its running level and step ({@link SensorStats}) as the stream would have them;
 * with only the window, the sensor's history is the window itself. With {@code --inputs}, the outputs of any trained
 * model (an imported one too) for a file of inputs shaped as the model's input ({@link Predictor}).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Forecasts the value after a window, or runs the model on a file of inputs.")
final class PredictCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A trained model document.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Either a window of readings or a file of model inputs. */
    static final class Source {
        @Option(names = "--window", required = true, paramLabel = "V1,V2,...",
                description = "The last readings, oldest first: at least the model's window length; readings before "
                        + "the last window are the sensor's history, which sets its running level and step for the "
                        + "sensor scaling (as the stream keeps them).")
        String window;

        @Option(names = "--inputs", required = true, paramLabel = "FILE",
                description = "A JSON array of model inputs (or an object whose \"inputs\" is one), each shaped as the "
                        + "model's input: T rows of F numbers for (T, F) (T numbers when F is 1), F numbers for (F,). "
                        + "Prints one output per input, in the readings' units.")
        Path inputs;
    }

    @Option(names = "--json", description = "Print the forecast as a JSON object (with --inputs: a JSON array of the "
            + "outputs, each an array).")
    boolean json;

    @Override
    public void run() {
        if (source.inputs != null) {
            predictInputs();
            return;
        }
        String window = source.window;
        Forecaster forecaster = ModelFiles.readTrained(model);
        double[] history = parseWindow(window, forecaster.windowLength());
        double[] values = Arrays.copyOfRange(history, history.length - forecaster.windowLength(), history.length);
        double forecast = forecaster.forecast(values, SensorStats.of(history));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode node = mapper.createObjectNode();
            node.putPOJO("window", values);
            node.put("forecast", forecast);
            node.put("modelId", forecaster.modelId());
            node.put("modelVersion", forecaster.version());
            out.println(node.toString());
        } else {
            out.println(forecast);
        }
        out.flush();
    }

    private void predictInputs() {
        ModelDocument doc = ModelFiles.readDocument(model);
        if (!ModelCodec.hasWeights(doc)) {
            throw new UserInputException(model + ": an architecture without weights; train it first with "
                    + "'streamcast train --model " + model + " --data FILE.csv'");
        }
        Predictor predictor;
        try {
            predictor = ModelCodec.toPredictor(doc);
        } catch (ModelFormatException e) {
            throw new UserInputException(model + ": " + e.getMessage(), e);
        }
        double[][] rows = readInputs(source.inputs, predictor.inputShape());
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode all = mapper.createArrayNode();
        for (double[] row : rows) {
            double[] outputs = predictor.predict(row);
            if (json) {
                ArrayNode one = all.addArray();
                for (double v : outputs) {
                    one.add(v);
                }
            } else {
                out.println(Arrays.stream(outputs).mapToObj(Double::toString).collect(Collectors.joining(" ")));
            }
        }
        if (json) {
            out.println(all.toString());
        }
        out.flush();
    }

    /** The inputs of INPUTS.json, each flattened time-major and checked against the model's input shape. */
    static double[][] readInputs(Path file, int[] shape) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw new UserInputException("--inputs: " + file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new UserInputException("--inputs: " + file + ": malformed JSON: " + e.getOriginalMessage()
                    .lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UserInputException("--inputs: " + file + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode inputs = root != null && root.isObject() ? root.path("inputs") : root;
        String expected = shape.length == 2
                ? shape[0] + " rows of " + shape[1] + " numbers (the model's input shape (" + shape[0] + ", " + shape[1]
                        + "))"
                : shape[0] + " numbers (the model's input shape (" + shape[0] + ",))";
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new UserInputException("--inputs: " + file + ": expected a JSON array of inputs, each " + expected);
        }
        int size = shape.length == 2 ? shape[0] * shape[1] : shape[0];
        double[][] rows = new double[inputs.size()][size];
        for (int k = 0; k < inputs.size(); k++) {
            JsonNode input = inputs.get(k);
            String at = "--inputs: " + file + ": inputs[" + k + "]";
            boolean nested = shape.length == 2 && !(shape[1] == 1 && input.isArray() && input.size() > 0
                    && input.get(0).isNumber());
            if (!input.isArray() || input.size() != shape[0]) {
                throw new UserInputException(at + ": expected " + expected + ", got " + describe(input));
            }
            for (int t = 0; t < shape[0]; t++) {
                JsonNode step = input.get(t);
                if (nested) {
                    if (!step.isArray() || step.size() != shape[1]) {
                        throw new UserInputException(at + "[" + t + "]: expected " + shape[1] + " numbers, got "
                                + describe(step));
                    }
                    for (int f = 0; f < shape[1]; f++) {
                        rows[k][t * shape[1] + f] = number(step.get(f), at + "[" + t + "][" + f + "]");
                    }
                } else {
                    rows[k][t] = number(step, at + "[" + t + "]");
                }
            }
        }
        return rows;
    }

    private static String describe(JsonNode node) {
        return node.isArray() ? "an array of " + node.size() : node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static double number(JsonNode node, String at) {
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw new UserInputException(at + ": expected a finite number, got " + node);
        }
        return node.asDouble();
    }

    static double[] parseWindow(String text, int length) {
        String[] parts = text.split(",", -1);
        if (parts.length < length) {
            throw new UserInputException("--window: expected at least " + length
                    + " values (the model's window length), got " + parts.length + " in '" + text + "'");
        }
        double[] values = new double[parts.length];
        for (int k = 0; k < parts.length; k++) {
            String part = parts[k].trim();
            try {
                values[k] = Double.parseDouble(part);
            } catch (NumberFormatException e) {
                throw new UserInputException("--window: value " + (k + 1) + " '" + part + "' is not a number");
            }
            if (!Double.isFinite(values[k])) {
                throw new UserInputException("--window: value " + (k + 1) + " '" + part + "' is not a finite number");
            }
        }
        return values;
    }
}
