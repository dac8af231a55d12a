package dev.streamcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.model.Forecaster;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamcast predict}: the forecast of a trained model for one window. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Forecasts the value after a window.")
final class PredictCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A trained model document.")
    Path model;

    @Option(names = "--window", required = true, paramLabel = "V1,V2,...",
            description = "The last readings, oldest first, as many as the model's window length.")
    String window;

    @Option(names = "--json", description = "Print the forecast as a JSON object.")
    boolean json;

    @Override
    public void run() {
        Forecaster forecaster = ModelFiles.readTrained(model);
        double[] values = parseWindow(window, forecaster.windowLength());
        double forecast = forecaster.forecast(values);
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

    static double[] parseWindow(String text, int length) {
        String[] parts = text.split(",", -1);
        if (parts.length != length) {
            throw new UserInputException("--window: expected " + length + " values (the model's window length), got "
                    + parts.length + " in '" + text + "'");
        }
        double[] values = new double[length];
        for (int k = 0; k < length; k++) {
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
