package dev.streamcast.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.model.Features;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import dev.streamcast.nn.Activation;
import dev.streamcast.nn.Layer;
import dev.streamcast.nn.Parameter;
import dev.streamcast.nn.Sequential;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code streamcast import}: a Sequential model saved by Keras ({@link KerasFile}), or a Functional one that is one
 * chain of layers, as a model document, the same
 * computation in Streamcast's layers. Layers: InputLayer, LSTM, GRU (reset_after true and false), SimpleRNN, Dense
 * and Dropout, recurrent layers stacked with return_sequences, input shape (T, F) or (F,); activations as
 * {@link Activation} lists them, {@code hard_sigmoid} read as the file's Keras version computes it (Keras 2:
 * 0.2x + 0.5; Keras 3: x/6 + 0.5). Anything else (another layer, masking, stateful, go_backwards, a Functional
 * model that branches, ...) is refused with one sentence naming the layer and what is not supported.
 */
public final class KerasImporter {

    /** Keras's activation names and the activation each is here; hard_sigmoid depends on the Keras version. */
    private static final Map<String, Activation> ACTIVATIONS = Map.ofEntries(
            Map.entry("linear", Activation.LINEAR), Map.entry("relu", Activation.RELU),
            Map.entry("tanh", Activation.TANH), Map.entry("sigmoid", Activation.SIGMOID),
            Map.entry("elu", Activation.ELU), Map.entry("selu", Activation.SELU),
            Map.entry("softplus", Activation.SOFTPLUS), Map.entry("softsign", Activation.SOFTSIGN),
            Map.entry("swish", Activation.SWISH), Map.entry("silu", Activation.SWISH),
            Map.entry("gelu", Activation.GELU));

    private static final List<String> LAYER_CLASSES = List.of("InputLayer", "LSTM", "GRU", "SimpleRNN", "Dense",
            "Dropout");

    /** Recurrent options whose true value changes what the layer computes, or what it returns. */
    private static final List<String> REFUSED_RECURRENT_OPTIONS = List.of("go_backwards", "stateful", "return_state",
            "time_major");

    private static final Pattern LAYER_INDEX = Pattern.compile("^layers\\[(\\d+)\\]");

    private KerasImporter() {
    }

    /**
     * Reads a Keras file into a model document: version 1 of {@code modelId}, with {@code scaling} (null: the raw
     * numbers, kind none). The document is checked as {@link ModelCodec#toPredictor} checks it.
     */
    public static ModelDocument importFile(Path file, String modelId, ModelDocument.ScalingSpec scaling) {
        return importFile(file, modelId, scaling, null);
    }

    /**
     * As {@link #importFile(Path, String, ModelDocument.ScalingSpec)}, recording {@code features} ({@code --features}:
     * what the stream feeds each step of an input (T, F), in order; null: none recorded), so that the stream can
     * serve a model of several features per step. Checked as {@link ModelCodec#toForecaster} checks it: F names, known
     * ones, with value.
     */
    public static ModelDocument importFile(Path file, String modelId, ModelDocument.ScalingSpec scaling,
                                           List<String> features) {
        KerasFile keras = KerasFile.open(file);
        int major = keras.kerasMajorVersion();
        JsonNode model = keras.modelConfig();
        String modelClass = model.path("class_name").asText("");
        boolean functional = modelClass.equals("Functional") || modelClass.equals("Model");
        if (!modelClass.equals("Sequential") && !functional) {
            throw new ModelFormatException("model class '" + modelClass + "': only Sequential models and Functional "
                    + "models that are one chain of layers are imported");
        }
        JsonNode config = model.path("config");
        JsonNode layerConfigs = config.isArray() ? config : config.path("layers");
        if (functional) {
            checkChain(layerConfigs);
        }
        if (!layerConfigs.isArray() || layerConfigs.isEmpty()) {
            throw new ModelFormatException("model_config: the Sequential model lists no layers");
        }
        int[] inputShape = null;
        List<JsonNode> layers = new ArrayList<>();
        for (JsonNode layer : layerConfigs) {
            String className = layer.path("class_name").asText("");
            if (className.equals("InputLayer")) {
                inputShape = batchShape(layer.path("config"), "InputLayer");
                continue;
            }
            if (!LAYER_CLASSES.contains(className)) {
                throw new ModelFormatException("layer '" + layer.path("config").path("name").asText("?") + "' ("
                        + className + "): not supported; Streamcast imports " + String.join(", ", LAYER_CLASSES));
            }
            layers.add(layer);
        }
        if (layers.isEmpty()) {
            throw new ModelFormatException("model_config: the Sequential model has no layer after its input");
        }
        if (inputShape == null) {
            inputShape = batchShape(layers.get(0).path("config"), describe(layers.get(0)));
        }
        if (inputShape == null) {
            throw new ModelFormatException("model_config: no input shape (the model was saved before it was built; "
                    + "give it input_shape= or an Input and save again)");
        }
        List<ModelDocument.LayerSpec> specs = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            specs.add(spec(layers.get(k), k == 0 ? inputShape : null, major));
        }
        Sequential network;
        try {
            network = ModelCodec.buildNetwork(specs);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(namedAfterTheLayer(e.getMessage(), layers), e);
        }
        List<String> savedNames = KerasFile.savedNames(layers.stream().map(l -> l.path("class_name").asText())
                .toList());
        for (int k = 0; k < layers.size(); k++) {
            Layer layer = network.layers().get(k);
            JsonNode layerConfig = layers.get(k).path("config");
            List<KerasFile.Tensor> tensors = keras.weights(layerConfig.path("name").asText(), savedNames.get(k));
            setWeights(layer, tensors, layerConfig.path("use_bias").asBoolean(true), describe(layers.get(k)));
        }
        boolean oneReadingPerStep = inputShape.length == 1 || inputShape[1] == 1;
        Features fed = features == null ? null : features(features, inputShape);
        Integer windowLength = fed != null ? Integer.valueOf(inputShape.length == 2 ? inputShape[0]
                : inputShape[0] / fed.count()) : oneReadingPerStep ? Integer.valueOf(inputShape[0]) : null;
        ModelDocument doc = new ModelDocument(ModelDocument.FORMAT, modelId, 1L, Instant.now().toString(),
                windowLength, fed == null || fed.isValueOnly() ? null : fed.names(),
                scaling == null ? new ModelDocument.ScalingSpec("none", null, null, null) : scaling,
                ModelCodec.layerSpecs(network), null,
                new ModelDocument.ImportInfo(keras.source(), keras.kerasVersion(), file.getFileName().toString()));
        ModelCodec.toPredictor(doc);
        if (fed != null) {
            ModelCodec.toForecaster(doc, 0);
        }
        return doc;
    }

    /** {@code --features} checked against the input shape: one name per feature of a step, known, with value. */
    private static Features features(List<String> names, int[] inputShape) {
        Features fed;
        try {
            fed = Features.of(names);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("--features: " + e.getMessage(), e);
        }
        boolean fits = inputShape.length == 2 ? inputShape[1] == fed.count() : inputShape[0] % fed.count() == 0;
        if (!fits) {
            throw new ModelFormatException("--features: " + fed.count() + " name" + (fed.count() == 1 ? "" : "s")
                    + " (" + fed + ") for an input of shape " + Arrays.toString(inputShape)
                    + (inputShape.length == 2 ? " (" + inputShape[1] + " features per step)" : ""));
        }
        return fed;
    }

    /**
     * A Functional model is imported when it is a Sequential model written another way: an InputLayer, then layers
     * that each take the one output of the layer before them.
     */
    private static void checkChain(JsonNode layers) {
        String previous = null;
        for (JsonNode layer : layers) {
            String name = layer.has("name") ? layer.path("name").asText() : layer.path("config").path("name").asText();
            List<String> sources = new ArrayList<>();
            inboundLayers(layer.path("inbound_nodes"), sources);
            if (previous == null) {
                if (!layer.path("class_name").asText().equals("InputLayer") || !sources.isEmpty()) {
                    throw new ModelFormatException(describe(layer) + ": a Functional model must start with its Input");
                }
            } else if (layer.path("inbound_nodes").size() != 1 || sources.size() != 1
                    || !sources.get(0).equals(previous)) {
                throw new ModelFormatException(describe(layer) + " takes its input from " + sources + ", not from the "
                        + "layer before it ('" + previous + "'): only Functional models that are one chain of layers "
                        + "are imported");
            }
            previous = name;
        }
    }

    /**
     * The names of the layers a layer's inbound nodes read: Keras 3 writes each input as a {@code keras_history}
     * [layer, node, tensor], Keras 2 as [layer, node, tensor, kwargs].
     */
    private static void inboundLayers(JsonNode node, List<String> out) {
        if (node.isObject()) {
            if (node.has("keras_history")) {
                out.add(node.path("keras_history").get(0).asText());
                return;
            }
            node.forEach(child -> inboundLayers(child, out));
        } else if (node.isArray()) {
            if (node.size() >= 3 && node.get(0).isTextual() && node.get(1).isNumber()) {
                out.add(node.get(0).asText());
                return;
            }
            node.forEach(child -> inboundLayers(child, out));
        }
    }

    /** "layer 'lstm_1' (LSTM)" */
    private static String describe(JsonNode layer) {
        return "layer '" + layer.path("config").path("name").asText("?") + "' (" + layer.path("class_name").asText()
                + ")";
    }

    /** A codec message about layers[k] told about the Keras layer instead. */
    private static String namedAfterTheLayer(String message, List<JsonNode> layers) {
        Matcher m = LAYER_INDEX.matcher(message);
        if (m.find()) {
            int k = Integer.parseInt(m.group(1));
            if (k < layers.size()) {
                String rest = message.substring(m.end()).replaceFirst("^\\.?[A-Za-z]*: ", ": ");
                return describe(layers.get(k)) + rest;
            }
        }
        return message;
    }

    /** The shape without the batch from batch_shape (Keras 3), batch_input_shape (Keras 2) or build_config. */
    private static int[] batchShape(JsonNode config, String what) {
        JsonNode shape = config.has("batch_shape") ? config.path("batch_shape") : config.path("batch_input_shape");
        if (!shape.isArray()) {
            return null;
        }
        if (shape.size() < 2 || shape.size() > 3) {
            throw new ModelFormatException(what + ": input shape " + shape + " is neither (batch, timesteps, features) "
                    + "nor (batch, features)");
        }
        int[] out = new int[shape.size() - 1];
        for (int k = 1; k < shape.size(); k++) {
            if (!shape.get(k).canConvertToInt() || shape.get(k).asInt() < 1) {
                throw new ModelFormatException(what + ": input shape " + shape + " has no fixed size on axis " + k
                        + "; Streamcast needs a fixed window (build the model with input_shape=(T, F))");
            }
            out[k - 1] = shape.get(k).asInt();
        }
        return out;
    }

    private static ModelDocument.LayerSpec spec(JsonNode layer, int[] inputShape, int kerasMajor) {
        String className = layer.path("class_name").asText();
        JsonNode c = layer.path("config");
        String what = describe(layer);
        List<Integer> shape = inputShape == null ? null : Arrays.stream(inputShape).boxed().toList();
        switch (className) {
            case "Dense":
                return new ModelDocument.LayerSpec("dense", units(c, what), activation(c, "activation", what,
                        kerasMajor), null, shape, null, null, null, null, null, null);
            case "Dropout":
                if (shape != null) {
                    throw new ModelFormatException(what + ": a model that starts with Dropout is not supported");
                }
                return new ModelDocument.LayerSpec("dropout", null, null, null, null, null, null, null, null,
                        c.path("rate").asDouble(0.0), null);
            default: {
                for (String option : REFUSED_RECURRENT_OPTIONS) {
                    if (c.path(option).asBoolean(false)) {
                        throw new ModelFormatException(what + ": " + option + "=True is not supported");
                    }
                }
                String type = className.equals("LSTM") ? "lstm" : className.equals("GRU") ? "gru" : "simple_rnn";
                Boolean resetAfter = null;
                if (type.equals("gru")) {
                    // absent in old configs: Keras 2's default was false, Keras 3's is true
                    resetAfter = c.has("reset_after") ? c.path("reset_after").asBoolean() : kerasMajor >= 3;
                }
                String recurrentActivation = type.equals("simple_rnn") ? null
                        : activation(c, "recurrent_activation", what, kerasMajor);
                return new ModelDocument.LayerSpec(type, units(c, what), activation(c, "activation", what, kerasMajor),
                        recurrentActivation, shape, null, null,
                        c.path("return_sequences").asBoolean(false) ? Boolean.TRUE : null, resetAfter, null, null);
            }
        }
    }

    private static Integer units(JsonNode c, String what) {
        if (!c.path("units").canConvertToInt() || c.path("units").asInt() < 1) {
            throw new ModelFormatException(what + ": units " + c.path("units") + " is not a positive integer");
        }
        return c.path("units").asInt();
    }

    /** The activation's name in the model document; Keras 3 may write it as {"config": "relu", ...}. */
    private static String activation(JsonNode c, String key, String what, int kerasMajor) {
        JsonNode node = c.path(key);
        String name;
        if (node.isMissingNode() || node.isNull()) {
            name = key.equals("recurrent_activation") ? "sigmoid" : "linear";
        } else if (node.isTextual()) {
            name = node.asText();
        } else if (node.path("config").isTextual()) {
            name = node.path("config").asText();
        } else {
            name = node.path("class_name").asText("?");
        }
        if (name.equals("hard_sigmoid")) {
            return kerasMajor >= 3 ? Activation.HARD_SIGMOID_KERAS3.kerasName() : Activation.HARD_SIGMOID.kerasName();
        }
        Activation activation = ACTIVATIONS.get(name);
        if (activation == null) {
            throw new ModelFormatException(what + ": " + key + " '" + name + "' is not supported; supported: "
                    + String.join(", ", new TreeSet<>(ACTIVATIONS.keySet())) + ", hard_sigmoid");
        }
        return activation.kerasName();
    }

    /** Copies the file's tensors into the layer's parameters, shape by shape; without a bias, the bias stays 0. */
    private static void setWeights(Layer layer, List<KerasFile.Tensor> tensors, boolean useBias, String what) {
        List<Parameter> params = layer.parameters();
        int expected = useBias || params.isEmpty() ? params.size() : params.size() - 1;
        if (tensors.size() != expected) {
            throw new ModelFormatException(what + ": the file holds " + tensors.size() + " weight tensors, expected "
                    + expected);
        }
        for (int k = 0; k < tensors.size(); k++) {
            Parameter p = params.get(k);
            KerasFile.Tensor tensor = tensors.get(k);
            if (!Arrays.equals(tensor.shape(), p.kerasShape())) {
                throw new ModelFormatException(what + ": weight " + k + " has shape " + Arrays.toString(tensor.shape())
                        + ", expected " + Arrays.toString(p.kerasShape()));
            }
            System.arraycopy(tensor.values(), 0, p.value().data, 0, tensor.values().length);
        }
    }
}
