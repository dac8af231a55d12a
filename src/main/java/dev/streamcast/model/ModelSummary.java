package dev.streamcast.model;

import dev.streamcast.nn.Gru;
import dev.streamcast.nn.Layer;
import dev.streamcast.nn.Lstm;
import dev.streamcast.nn.Sequential;
import dev.streamcast.nn.SimpleRnn;
import java.util.Arrays;

/** Keras's {@code model.summary()}: each layer with its output shape and parameter count, then the totals. */
public final class ModelSummary {

    private ModelSummary() {
    }

    public static String of(Forecaster forecaster) {
        return table("Model: \"" + forecaster.modelId() + "\" version " + forecaster.version() + ", window length "
                + forecaster.windowLength() + ", scaling " + forecaster.scaling().kind(), forecaster.network());
    }

    /** The table of a model the stream need not be able to feed (an imported one), from its document. */
    public static String of(ModelDocument doc, Predictor predictor) {
        return table("Model: \"" + doc.modelId() + "\" version " + doc.version() + ", input shape "
                + Arrays.toString(predictor.inputShape()) + ", scaling " + predictor.scaling().kind(),
                predictor.network());
    }

    private static String table(String header, Sequential network) {
        String rule = "_".repeat(65);
        String doubleRule = "=".repeat(65);
        StringBuilder sb = new StringBuilder();
        sb.append(header).append('\n');
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
            sb.append(String.format("%-29s%-26s%d%n", layer.name() + " (" + type + ")", outputShape(layer),
                    layer.parameterCount()));
            sb.append(k == network.layers().size() - 1 ? doubleRule : rule).append('\n');
        }
        sb.append("Total params: ").append(network.parameterCount()).append('\n');
        sb.append("Trainable params: ").append(network.parameterCount()).append('\n');
        sb.append("Non-trainable params: 0\n");
        sb.append(rule).append('\n');
        return sb.toString();
    }

    /** Keras's output shape: (None, T, U) for a recurrent layer that returns its sequence, else (None, width). */
    private static String outputShape(Layer layer) {
        int steps = 0;
        if (layer instanceof Lstm lstm && lstm.returnSequences()) {
            steps = lstm.timesteps();
        } else if (layer instanceof Gru gru && gru.returnSequences()) {
            steps = gru.timesteps();
        } else if (layer instanceof SimpleRnn rnn && rnn.returnSequences()) {
            steps = rnn.timesteps();
        }
        return steps > 0 ? "(None, " + steps + ", " + layer.outputSize() / steps + ")"
                : "(None, " + layer.outputSize() + ")";
    }
}
