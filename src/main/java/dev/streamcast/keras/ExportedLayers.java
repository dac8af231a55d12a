package dev.streamcast.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.model.ModelFormatException;
import dev.streamcast.nn.Activation;
import dev.streamcast.nn.Dense;
import dev.streamcast.nn.Dropout;
import dev.streamcast.nn.Gru;
import dev.streamcast.nn.Layer;
import dev.streamcast.nn.Lstm;
import dev.streamcast.nn.Parameter;
import dev.streamcast.nn.Sequential;
import dev.streamcast.nn.SimpleRnn;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's layers as Keras describes them, for {@code streamcast export}: each layer's class, its name (the one
 * Keras itself would give it: {@code lstm}, {@code lstm_1}, {@code dense}, ...), its configuration and its
 * weights in Keras's order and layout, for one of the two formats that read them back. The formats differ in what
 * they can compute, and a layer they cannot is refused with one sentence naming it ({@link ModelFormatException}):
 * Keras 3 has no {@code hard_sigmoid} of slope 0.2 (Keras 2's), TensorFlow.js has no {@code hard_sigmoid} of slope
 * 1/6 (Keras 3's) and no GRU with {@code reset_after}.
 */
public final class ExportedLayers {

    /** The format the layers are written for. */
    public enum Target {
        /** Keras 3's {@code .keras} file. */
        KERAS3,
        /** A TensorFlow.js layers model ({@code model.json}), which computes as Keras 2 does. */
        TFJS
    }

    /**
     * One layer: Keras's class ({@code LSTM}, {@code GRU}, {@code SimpleRNN}, {@code Dense}, {@code Dropout}), its
     * name, its {@code config} object and its weights (kernel, recurrent kernel, bias; none for Dropout).
     */
    public record ExportedLayer(String className, String name, ObjectNode config, List<Parameter> weights,
                                boolean recurrent) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ExportedLayers() {
    }

    /** The input shape without the batch, as a JSON array led by null (Keras's batch_shape). */
    public static ArrayNode batchShape(int[] shape) {
        ArrayNode out = NODES.arrayNode().addNull();
        for (int size : shape) {
            out.add(size);
        }
        return out;
    }

    /** The layers of {@code network}, described for {@code target}. */
    public static List<ExportedLayer> of(Sequential network, Target target) {
        List<Layer> layers = network.layers();
        List<String> names = KerasFile.savedNames(layers.stream().map(ExportedLayers::className).toList());
        List<ExportedLayer> out = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            Layer layer = layers.get(k);
            String name = names.get(k);
            String what = "layer " + k + " (" + layer.type() + ")";
            ObjectNode config = NODES.objectNode();
            config.put("name", name);
            config.put("trainable", true);
            config.put("dtype", "float32");
            boolean recurrent = !(layer instanceof Dense || layer instanceof Dropout);
            if (layer instanceof Dense dense) {
                config.put("units", dense.units());
                config.put("activation", activation(dense.activation(), target, what, "activation"));
                config.put("use_bias", true);
            } else if (layer instanceof Dropout dropout) {
                config.put("rate", dropout.rate());
            } else {
                recurrentConfig(layer, config, target, what);
            }
            out.add(new ExportedLayer(className(layer), name, config, layer.parameters(), recurrent));
        }
        return out;
    }

    /** The shape of the layer's output without the batch: [T, units] for a sequence, else [units]. */
    public static int[] outputShape(Layer layer, int timesteps) {
        boolean sequence = layer instanceof Lstm l && l.returnSequences()
                || layer instanceof Gru g && g.returnSequences()
                || layer instanceof SimpleRnn r && r.returnSequences();
        return sequence ? new int[] {timesteps, layer.outputSize() / timesteps} : new int[] {layer.outputSize()};
    }

    private static void recurrentConfig(Layer layer, ObjectNode config, Target target, String what) {
        int units;
        Activation activation;
        Activation recurrentActivation = null;
        boolean returnSequences;
        Boolean resetAfter = null;
        if (layer instanceof Lstm lstm) {
            units = lstm.units();
            activation = lstm.activation();
            recurrentActivation = lstm.recurrentActivation();
            returnSequences = lstm.returnSequences();
        } else if (layer instanceof Gru gru) {
            units = gru.units();
            activation = gru.activation();
            recurrentActivation = gru.recurrentActivation();
            returnSequences = gru.returnSequences();
            resetAfter = gru.resetAfter();
            if (resetAfter && target == Target.TFJS) {
                throw new ModelFormatException(what + ": a GRU with resetAfter (Keras 3's default: two biases) has "
                        + "no TensorFlow.js form (TF.js's GRU is Keras 2's, resetAfter false); export it as --format "
                        + "keras");
            }
        } else {
            SimpleRnn rnn = (SimpleRnn) layer;
            units = rnn.units();
            activation = rnn.activation();
            returnSequences = rnn.returnSequences();
        }
        config.put("return_sequences", returnSequences);
        config.put("return_state", false);
        config.put("go_backwards", false);
        config.put("stateful", false);
        config.put("unroll", false);
        config.put("units", units);
        config.put("activation", activation(activation, target, what, "activation"));
        if (recurrentActivation != null) {
            config.put("recurrent_activation", activation(recurrentActivation, target, what,
                    "recurrentActivation"));
        }
        config.put("use_bias", true);
        if (layer instanceof Lstm) {
            config.put("unit_forget_bias", true);
        }
        config.put("dropout", 0.0);
        config.put("recurrent_dropout", 0.0);
        if (resetAfter != null) {
            config.put("reset_after", resetAfter);
        }
    }

    /** Keras's class of the layer. */
    static String className(Layer layer) {
        if (layer instanceof Lstm) {
            return "LSTM";
        }
        if (layer instanceof Gru) {
            return "GRU";
        }
        if (layer instanceof SimpleRnn) {
            return "SimpleRNN";
        }
        if (layer instanceof Dense) {
            return "Dense";
        }
        if (layer instanceof Dropout) {
            return "Dropout";
        }
        throw new IllegalArgumentException("no Keras class for layer type " + layer.type());
    }

    /**
     * The activation's name in the target's configuration. The two hard sigmoids share Keras's name and differ in
     * slope by version: Keras 3's reads 1/6, TensorFlow.js's (as Keras 2's) 0.2.
     */
    private static String activation(Activation activation, Target target, String what, String field) {
        switch (activation) {
            case HARD_SIGMOID:
                if (target == Target.KERAS3) {
                    throw new ModelFormatException(what + ": " + field + " hard_sigmoid is Keras 2's clip(0.2 x + 0.5),"
                            + " which Keras 3 does not have (its hard_sigmoid is x / 6 + 0.5); export it as --format "
                            + "tfjs");
                }
                return "hard_sigmoid";
            case HARD_SIGMOID_KERAS3:
                if (target == Target.TFJS) {
                    throw new ModelFormatException(what + ": " + field + " hard_sigmoid_keras3 (x / 6 + 0.5) has no "
                            + "TensorFlow.js form (TF.js's hard_sigmoid is 0.2 x + 0.5); export it as --format keras");
                }
                return "hard_sigmoid";
            case SWISH:
                // Keras 3 writes swish by its canonical name; TF.js knows only swish
                return target == Target.KERAS3 ? "silu" : "swish";
            default:
                return activation.kerasName();
        }
    }

    /** The weight values as float32, Keras's storage type (rounded to nearest). */
    public static float[] float32(Parameter p) {
        double[] data = p.value().data;
        float[] out = new float[p.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) data[k];
        }
        return out;
    }

    /** A weight tensor shaped as Keras shapes it: float[n] for a vector, float[r][c] for a matrix. */
    public static Object float32Shaped(Parameter p) {
        int[] shape = p.kerasShape();
        float[] flat = float32(p);
        if (shape.length == 1) {
            return flat;
        }
        float[][] out = new float[shape[0]][shape[1]];
        for (int r = 0; r < shape[0]; r++) {
            System.arraycopy(flat, r * shape[1], out[r], 0, shape[1]);
        }
        return out;
    }

    /** {@code values} as a JSON array. */
    static JsonNode ints(int[] values) {
        ArrayNode out = NODES.arrayNode();
        for (int v : values) {
            out.add(v);
        }
        return out;
    }
}
