package dev.streamcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.SensorStats;
import java.util.Arrays;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code streamcast predict}: the forecast of a trained model for one window. Readings given before the window are
 * the sensor's history: they set its running level and step ({@link SensorStats}) as the stream would have them;
 * with only the window, the sensor's history is the window itself.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Forecasts the value after a window.")
final class PredictCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A trained model document.")
    Path model;

    @Option(names = "--window", required = true, paramLabel = "V1,V2,...",
            description = "The last readings, oldest first: at least the model's window length; readings before the "
                    + "last window are the sensor's history, which sets its running level and step for the sensor "
                    + "scaling (as the stream keeps them).")
    String window;

    @Option(names = "--json", description = "Print the forecast as a JSON object.")
    boolean json;

    @Override
    public void run() {
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

    static double[] parseWindow(String text, int length) {
        String[] parts = text.split(",", -1);
        if (parts.length < length) {
            throw new UserInputException("--window: expected at least " + length + " values (the model's window length), got "
                    + parts.length + " in '" + text + "'");
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
