package dev.streamcast.model;

import dev.streamcast.nn.Layer;
import dev.streamcast.nn.Sequential;

/** Keras's {@code model.summary()}: each layer with its output shape and parameter count, then the totals. */
public final class ModelSummary {

    private ModelSummary() {
    }

    public static String of(Forecaster forecaster) {
        Sequential network = forecaster.network();
        String rule = "_".repeat(65);
        String doubleRule = "=".repeat(65);
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(forecaster.modelId()).append("\" version ").append(forecaster.version())
                .append(", window length ").append(forecaster.windowLength()).append(", scaling ")
                .append(forecaster.scaling().kind()).append('\n');
        sb.append(rule).append('\n');
        sb.append(String.format("%-29s%-26s%s%n", "Layer (type)", "Output Shape", "Param #"));
        sb.append(doubleRule).append('\n');
        for (int k = 0; k < network.layers().size(); k++) {
            Layer layer = network.layers().get(k);
            String type = switch (layer.type()) {
                case "lstm" -> "LSTM";
                case "gru" -> "GRU";
                case "simple_rnn" -> "SimpleRNN";
                case "dropout" -> "Dropout";
                default -> "Dense";
            };
            sb.append(String.format("%-29s%-26s%d%n", layer.name() + " (" + type + ")",
                    "(None, " + layer.outputSize() + ")", layer.parameterCount()));
            sb.append(k == network.layers().size() - 1 ? doubleRule : rule).append('\n');
        }
        sb.append("Total params: ").append(network.parameterCount()).append('\n');
        sb.append("Trainable params: ").append(network.parameterCount()).append('\n');
        sb.append("Non-trainable params: 0\n");
        sb.append(rule).append('\n');
        return sb.toString();
    }
}
