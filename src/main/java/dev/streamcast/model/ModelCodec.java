package dev.streamcast.model;

import dev.streamcast.nn.Activation;
import dev.streamcast.nn.Dense;
import dev.streamcast.nn.Dropout;
import dev.streamcast.nn.Gru;
import dev.streamcast.nn.KerasInitializers;
import dev.streamcast.nn.Layer;
import dev.streamcast.nn.Lstm;
import dev.streamcast.nn.Parameter;
import dev.streamcast.nn.Sequential;
import dev.streamcast.nn.SimpleRnn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.ejml.data.DMatrixRMaj;

/**
 * The model document's codec: turns a {@link ModelDocument} into the {@link Forecaster} it describes and a
 * forecaster back into its document. Callers reach the document's JSON form through here too ({@link #parse},
 * {@link #write}, {@link #writeCompact}, {@link #read}); the JSON reading and writing itself, and the translation
 * of Jackson's errors, is {@link ModelJson}'s.
 *
 * <p>Everything a document says is checked before it is used: the first layer must carry the input shape, a
 * recurrent layer must follow a sequence, a forecaster's last layer must output one value, activations must exist,
 * and each weight must have exactly the shape the architecture implies. Every refusal is a
 * {@link ModelFormatException} naming the field.
 */
public final class ModelCodec {

    private ModelCodec() {
    }

    /** Parses a document; malformed JSON or an unknown field is refused with its location. */
    public static ModelDocument parse(byte[] json) {
        return ModelJson.parse(json);
    }

    public static ModelDocument parse(String json) {
        return ModelJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses and checks a scaling given on its own ({@code streamcast import --scaling}); without a kind, one that
     * lists features is kind columns.
     */
    public static ModelDocument.ScalingSpec parseScaling(byte[] json) {
        ModelDocument.ScalingSpec spec = ModelJson.parseScaling(json);
        if (spec.kind() == null && (spec.features() != null || spec.target() != null)) {
            spec = new ModelDocument.ScalingSpec("columns", spec.mean(), spec.std(), spec.clip(), spec.features(),
                    spec.target());
        }
        Scaling.fromSpec(spec);
        return spec;
    }

    /** The document as indented JSON (for files). */
    public static byte[] write(ModelDocument doc) {
        return ModelJson.write(doc);
    }

    /** A scaling on its own ({@code streamcast export}'s scaling file), as {@link #parseScaling} reads it. */
    public static byte[] writeScaling(ModelDocument.ScalingSpec spec) {
        return ModelJson.writeScaling(spec);
    }

    /** The document as one line of JSON (for the models topic). */
    public static byte[] writeCompact(ModelDocument doc) {
        return ModelJson.writeCompact(doc);
    }

    /** A model as the models topic carries it: its document as one line of JSON. */
    public static byte[] encode(Forecaster forecaster) {
        return writeCompact(toDocument(forecaster));
    }

    /**
     * The forecaster a model document's bytes describe (the models topic's, or a file's); an architecture without
     * weights is initialised from {@code seed}.
     *
     * @throws ModelFormatException if the bytes are not a model this version serves
     */
    public static Forecaster decode(byte[] json, long seed) {
        return toForecaster(parse(json), seed);
    }

    /** Whether every layer of the document carries weights (a trained model, not an architecture). */
    public static boolean hasWeights(ModelDocument doc) {
        return doc.layers() != null && !doc.layers().isEmpty()
                && doc.layers().stream().allMatch(l -> l != null && (l.weights() != null || isDropout(l)));
    }

    /** A dropout layer has no weights, in an architecture and in a trained model alike. */
    private static boolean isDropout(ModelDocument.LayerSpec spec) {
        return "dropout".equals(spec.type());
    }

    /**
     * Builds the forecaster a document describes. A document with weights uses them; one without (an
     * architecture) gets Keras's initialisation, reproducible from {@code seed}, and, when it names none, the default
     * scaling ({@link Scaling.Sensor}). The stream feeds a forecaster one reading per step, or the {@link Features}
     * the document's {@code features} names, and takes one value back: a model with another input or output (several
     * features per step without {@code features}, or another count) is refused, saying why ({@link #toPredictor}
     * runs it).
     */
    public static Forecaster toForecaster(ModelDocument doc, long seed) {
        checkFormat(doc);
        List<ModelDocument.LayerSpec> specs = doc.layers();
        Sequential network = buildNetwork(specs);
        boolean allWeights = checkWeightsPresence(specs);
        int[] shape = inputShape(specs.get(0), "layers[0]");
        if (network.outputSize() != 1) {
            throw new ModelFormatException("layers[" + (specs.size() - 1)
                    + "].units: the last layer must output 1 value "
                    + "(the forecast), got " + network.outputSize());
        }
        Features features = features(doc);
        if (doc.features() == null && shape.length == 2 && shape[1] != 1) {
            throw new ModelFormatException("layers[0].inputShape: the stream feeds one reading per step, this model "
                    + "takes " + Arrays.toString(shape) + " (" + shape[1] + " features per step); 'streamcast predict' "
                    + "runs it");
        }
        int width = features.count();
        if (shape.length == 2 ? shape[1] != width : shape[0] % width != 0) {
            throw new ModelFormatException("features: " + width + " per step (" + features + "), the input shape "
                    + Arrays.toString(shape) + " takes " + (shape.length == 2 ? shape[1] + " per step"
                    : "a window of " + shape[0] + " values"));
        }
        int windowLength = shape.length == 2 ? shape[0] : shape[0] / width;
        if (doc.windowLength() != null && doc.windowLength() != windowLength) {
            throw new ModelFormatException("windowLength: " + doc.windowLength() + " differs from the input shape "
                    + Arrays.toString(shape));
        }
        Scaling scaling;
        if (doc.scaling() == null) {
            if (allWeights) {
                throw new ModelFormatException("scaling: missing; a trained model must say how it scales its input");
            }
            scaling = new Scaling.Sensor();
        } else {
            scaling = Scaling.fromSpec(doc.scaling());
        }
        if (scaling instanceof Scaling.Columns columns && columns.columns().features().size() != width) {
            throw new ModelFormatException("scaling.features: " + columns.columns().features().size() + " entries, "
                    + "the model takes " + width + " feature" + (width == 1 ? "" : "s") + " per step");
        }
        if (allWeights) {
            setWeights(specs, network);
        } else {
            KerasInitializers.initialize(network, new SplittableRandom(seed));
        }
        String modelId = doc.modelId() == null ? "default" : doc.modelId();
        long version = doc.version() == null ? 0 : doc.version();
        if (version < 0) {
            throw new ModelFormatException("version: must be 0 or more, got " + version);
        }
        return new Forecaster(modelId, version, doc.createdAt(), windowLength, features, scaling, network,
                doc.training());
    }

    /** The document's {@link Features}: the value alone when it names none. */
    public static Features features(ModelDocument doc) {
        if (doc.features() == null) {
            return Features.VALUE;
        }
        try {
            return Features.of(doc.features());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("features: " + e.getMessage(), e);
        }
    }

    /**
     * Builds the {@link Predictor} of a trained document: any input shape and output size, with the document's
     * scaling ({@code columns} for an imported model; the stream's kinds for one reading per step).
     */
    public static Predictor toPredictor(ModelDocument doc) {
        checkFormat(doc);
        List<ModelDocument.LayerSpec> specs = doc.layers();
        Sequential network = buildNetwork(specs);
        if (!checkWeightsPresence(specs)) {
            throw new ModelFormatException("layers: no weights; an architecture has nothing to predict with (train it "
                    + "first)");
        }
        int[] shape = inputShape(specs.get(0), "layers[0]");
        if (doc.scaling() == null) {
            throw new ModelFormatException("scaling: missing; a trained model must say how it scales its input");
        }
        Scaling scaling = Scaling.fromSpec(doc.scaling());
        int width = shape[shape.length - 1];
        Features features = features(doc);
        if (!features.isValueOnly() && !(scaling instanceof Scaling.Columns) && !(scaling instanceof Scaling.None)) {
            // A model the stream feeds several features per step: its values scale as the forecaster scales them.
            Forecaster forecaster = toForecaster(doc, 0);
            return new Predictor(shape, forecaster.network(), scaling, features);
        }
        if (scaling instanceof Scaling.Columns columns) {
            if (columns.columns().features().size() != width) {
                throw new ModelFormatException("scaling.features: " + columns.columns().features().size()
                        + " entries, the model takes " + width + " features" + (shape.length == 2 ? " per step" : ""));
            }
        } else if (!(scaling instanceof Scaling.None)
                && (width != 1 && shape.length == 2 || network.outputSize() != 1)) {
            throw new ModelFormatException("scaling: kind '" + scaling.kind() + "' scales a window of single readings "
                    + "into one forecast; this model takes " + Arrays.toString(shape) + " and outputs "
                    + network.outputSize() + " values (use kind columns or none)");
        }
        setWeights(specs, network);
        return new Predictor(shape, network, scaling);
    }

    private static void checkFormat(ModelDocument doc) {
        if (doc.format() == null) {
            throw new ModelFormatException("format: missing; expected \"" + ModelDocument.FORMAT + "\"");
        }
        if (!ModelDocument.FORMAT.equals(doc.format())) {
            throw new ModelFormatException("format: expected \"" + ModelDocument.FORMAT + "\", got \"" + doc.format()
                    + "\"");
        }
        if (doc.layers() == null || doc.layers().isEmpty()) {
            throw new ModelFormatException("layers: missing; expected at least an lstm layer and a dense layer");
        }
    }

    /** Whether the layers carry weights; refuses a document where some do and some do not. */
    private static boolean checkWeightsPresence(List<ModelDocument.LayerSpec> specs) {
        boolean anyWeights = specs.stream().anyMatch(l -> l != null && l.weights() != null);
        if (!anyWeights) {
            return false;
        }
        for (int k = 0; k < specs.size(); k++) {
            ModelDocument.LayerSpec spec = specs.get(k);
            if (spec != null && spec.weights() == null && !isDropout(spec)) {
                throw new ModelFormatException("layers[" + k + "].weights: missing; either every layer has weights or "
                        + "none");
            }
        }
        return true;
    }

    /**
     * Builds the layers a document lists, checking each field; weights are left at zero. Layers are named as the
     * parameters are known (the first lstm {@code lstm}, the next {@code lstm2}, ...; dense layers {@code dense1},
     * {@code dense2}, ...).
     */
    public static Sequential buildNetwork(List<ModelDocument.LayerSpec> specs) {
        List<Layer> layers = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        // The previous layer's output: a sequence of `timesteps` steps of `width` values, or (timesteps 0) a vector.
        int timesteps = 0;
        int width = -1;
        for (int k = 0; k < specs.size(); k++) {
            ModelDocument.LayerSpec spec = specs.get(k);
            String at = "layers[" + k + "]";
            if (spec == null) {
                throw new ModelFormatException(at + ": missing");
            }
            if (spec.type() == null) {
                throw new ModelFormatException(at + ".type: missing; expected " + LAYER_TYPES);
            }
            if (!LAYER_TYPES.contains(spec.type())) {
                throw new ModelFormatException(at + ".type: unknown '" + spec.type() + "'; expected " + LAYER_TYPES);
            }
            String type = spec.type();
            int count = counts.merge(type, 1, Integer::sum);
            String name = type.equals("dense") ? "dense" + count : count == 1 ? type : type + count;
            if (!type.equals("dropout")) {
                if (spec.units() == null) {
                    throw new ModelFormatException(at + ".units: missing; expected a positive integer");
                }
                if (spec.units() < 1 || spec.units() > 4096) {
                    throw new ModelFormatException(at + ".units: expected 1 to 4096, got " + spec.units());
                }
            }
            if (k > 0 && (spec.inputShape() != null || spec.inputDim() != null || spec.inputLength() != null)) {
                throw new ModelFormatException(at + ": only the first layer takes an input shape");
            }
            boolean recurrent = type.equals("lstm") || type.equals("gru") || type.equals("simple_rnn");
            if (!recurrent && (spec.recurrentActivation() != null || spec.returnSequences() != null)) {
                throw new ModelFormatException(at + ": recurrentActivation and returnSequences belong to recurrent "
                        + "layers, not " + type);
            }
            if (!type.equals("gru") && spec.resetAfter() != null) {
                throw new ModelFormatException(at + ".resetAfter: belongs to gru layers, not " + type);
            }
            if (!type.equals("dropout") && spec.rate() != null) {
                throw new ModelFormatException(at + ".rate: belongs to dropout layers, not " + type);
            }
            if (recurrent) {
                int steps;
                int features;
                if (k == 0) {
                    int[] shape = inputShape(spec, at);
                    if (shape.length != 2) {
                        throw new ModelFormatException(at + ".inputShape: a " + type + " layer takes [timesteps, "
                                + "features], got " + Arrays.toString(shape));
                    }
                    steps = shape[0];
                    features = shape[1];
                } else if (timesteps == 0) {
                    throw new ModelFormatException(at + ".type: a " + type + " layer needs a sequence, and layers["
                            + (k - 1) + "] returns one vector (a recurrent layer before it needs returnSequences "
                            + "true)");
                } else {
                    steps = timesteps;
                    features = width;
                }
                Activation activation = activation(spec.activation(), Activation.TANH, at + ".activation");
                boolean sequences = Boolean.TRUE.equals(spec.returnSequences());
                switch (type) {
                    case "lstm":
                        layers.add(new Lstm(name, spec.units(), steps, features, activation,
                                activation(spec.recurrentActivation(), Activation.SIGMOID, at + ".recurrentActivation"),
                                sequences));
                        break;
                    case "gru":
                        layers.add(new Gru(name, spec.units(), steps, features, activation,
                                activation(spec.recurrentActivation(), Activation.SIGMOID, at + ".recurrentActivation"),
                                !Boolean.FALSE.equals(spec.resetAfter()), sequences));
                        break;
                    default:
                        if (spec.recurrentActivation() != null) {
                            throw new ModelFormatException(at + ".recurrentActivation: a simple_rnn layer has none");
                        }
                        layers.add(new SimpleRnn(name, spec.units(), steps, features, activation, sequences));
                }
                timesteps = sequences ? steps : 0;
                width = spec.units();
            } else if (type.equals("dense")) {
                int in;
                if (k == 0) {
                    int[] shape = inputShape(spec, at);
                    if (shape.length != 1) {
                        throw new ModelFormatException(at + ".inputShape: a dense first layer takes [features], got "
                                + Arrays.toString(shape));
                    }
                    in = shape[0];
                } else if (timesteps > 0) {
                    throw new ModelFormatException(at + ".type: a dense layer after a sequence would apply to each "
                            + "time step, which is not supported (layers[" + (k - 1) + "] returns sequences)");
                } else {
                    in = width;
                }
                Activation activation = activation(spec.activation(), Activation.LINEAR, at + ".activation");
                layers.add(new Dense(name, in, spec.units(), activation));
                width = spec.units();
            } else {
                if (k == 0) {
                    throw new ModelFormatException(at + ".type: the first layer must be lstm, gru, simple_rnn or "
                            + "dense, got dropout");
                }
                if (spec.units() != null || spec.activation() != null || spec.weights() != null) {
                    throw new ModelFormatException(at + ": a dropout layer takes only type and rate");
                }
                if (spec.rate() == null || !(spec.rate() >= 0 && spec.rate() < 1)) {
                    throw new ModelFormatException(at + ".rate: expected a number in [0, 1), got " + spec.rate());
                }
                layers.add(new Dropout(name, timesteps > 0 ? timesteps * width : width, spec.rate()));
            }
        }
        return new Sequential(layers);
    }

    private static final List<String> LAYER_TYPES = List.of("lstm", "gru", "simple_rnn", "dense", "dropout");

    /**
     * The first layer's input shape: inputShape [timesteps, features] (or inputLength + inputDim: the same model
     * either way), or [features] for a dense layer.
     */
    private static int[] inputShape(ModelDocument.LayerSpec spec, String at) {
        int[] fromShape = null;
        if (spec.inputShape() != null) {
            List<Integer> s = spec.inputShape();
            if (s.isEmpty() || s.size() > 2 || s.stream().anyMatch(v -> v == null || v < 1)) {
                throw new ModelFormatException(at + ".inputShape: expected [timesteps, features] or [features] with "
                        + "positive values, got " + s);
            }
            fromShape = s.stream().mapToInt(Integer::intValue).toArray();
        }
        int[] fromDims = null;
        if (spec.inputDim() != null || spec.inputLength() != null) {
            if (spec.inputDim() == null || spec.inputLength() == null) {
                throw new ModelFormatException(at + ": inputDim and inputLength go together; got only "
                        + (spec.inputDim() == null ? "inputLength" : "inputDim"));
            }
            if (spec.inputDim() < 1 || spec.inputLength() < 1) {
                throw new ModelFormatException(at + ": inputDim and inputLength must be positive, got inputDim="
                        + spec.inputDim() + ", inputLength=" + spec.inputLength());
            }
            fromDims = new int[] {spec.inputLength(), spec.inputDim()};
        }
        if (fromShape == null && fromDims == null) {
            throw new ModelFormatException(at + ".inputShape: missing; give inputShape [timesteps, features] or "
                    + "inputDim and inputLength");
        }
        if (fromShape != null && fromDims != null && !Arrays.equals(fromShape, fromDims)) {
            throw new ModelFormatException(at + ": inputShape " + Arrays.toString(fromShape)
                    + " contradicts inputLength="
                    + fromDims[0] + ", inputDim=" + fromDims[1]);
        }
        return fromShape != null ? fromShape : fromDims;
    }

    private static Activation activation(String name, Activation fallback, String at) {
        if (name == null) {
            return fallback;
        }
        try {
            return Activation.fromKerasName(name);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(at + ": " + e.getMessage(), e);
        }
    }

    private static void setWeights(List<ModelDocument.LayerSpec> specs, Sequential network) {
        for (int k = 0; k < specs.size(); k++) {
            setWeights(k, network.layers().get(k), specs.get(k).weights());
        }
    }

    private static void setWeights(int k, Layer layer, ModelDocument.Weights weights) {
        String at = "layers[" + k + "].weights";
        List<Parameter> params = layer.parameters();
        if (params.isEmpty()) {
            return;
        }
        if (params.size() == 3) {
            copyMatrix(weights.kernel(), params.get(0), at + ".kernel");
            copyMatrix(weights.recurrentKernel(), params.get(1), at + ".recurrentKernel");
            copyVector(weights.bias(), params.get(2), 0, at + ".bias");
            if (layer instanceof Gru gru && gru.resetAfter()) {
                copyVector(weights.recurrentBias(), params.get(2), 1, at + ".recurrentBias");
            } else if (weights.recurrentBias() != null) {
                throw new ModelFormatException(at + ".recurrentBias: only a gru layer with resetAfter has one");
            }
        } else {
            if (weights.recurrentKernel() != null || weights.recurrentBias() != null) {
                throw new ModelFormatException(at + ".recurrentKernel: a dense layer has no recurrent weights");
            }
            copyMatrix(weights.kernel(), params.get(0), at + ".kernel");
            copyVector(weights.bias(), params.get(1), 0, at + ".bias");
        }
    }

    private static void copyMatrix(double[][] values, Parameter p, String at) {
        DMatrixRMaj m = p.value();
        String expected = "[" + m.numRows + ", " + m.numCols + "]";
        if (values == null) {
            throw new ModelFormatException(at + ": missing; expected shape " + expected);
        }
        for (double[] row : values) {
            if (row == null || row.length != m.numCols || values.length != m.numRows) {
                throw new ModelFormatException(at + ": expected shape " + expected + ", got " + shapeOf(values));
            }
        }
        if (values.length != m.numRows) {
            throw new ModelFormatException(at + ": expected shape " + expected + ", got " + shapeOf(values));
        }
        for (int r = 0; r < m.numRows; r++) {
            for (int c = 0; c < m.numCols; c++) {
                double v = values[r][c];
                if (!Double.isFinite(v)) {
                    throw new ModelFormatException(at + "[" + r + "][" + c + "]: expected a finite number, got " + v);
                }
                m.set(r, c, v);
            }
        }
    }

    /** Copies a bias into row {@code row} of its parameter (a GRU with resetAfter keeps two). */
    private static void copyVector(double[] values, Parameter p, int row, String at) {
        DMatrixRMaj m = p.value();
        if (values == null) {
            throw new ModelFormatException(at + ": missing; expected shape [" + m.numCols + "]");
        }
        if (values.length != m.numCols) {
            throw new ModelFormatException(at + ": expected shape [" + m.numCols + "], got [" + values.length + "]");
        }
        for (int c = 0; c < values.length; c++) {
            if (!Double.isFinite(values[c])) {
                throw new ModelFormatException(at + "[" + c + "]: expected a finite number, got " + values[c]);
            }
            m.data[row * m.numCols + c] = values[c];
        }
    }

    private static String shapeOf(double[][] values) {
        String cols = Arrays.stream(values).map(r -> r == null ? "null" : String.valueOf(r.length))
                .distinct().collect(Collectors.joining("|"));
        return "[" + values.length + ", " + (values.length == 0 ? "0" : cols) + "]";
    }

    /** The document of a forecaster, weights included. */
    public static ModelDocument toDocument(Forecaster forecaster) {
        String createdAt = forecaster.createdAt() != null ? forecaster.createdAt() : Instant.now().toString();
        return new ModelDocument(ModelDocument.FORMAT, forecaster.modelId(), forecaster.version(), createdAt,
                forecaster.windowLength(), forecaster.features().isValueOnly() ? null : forecaster.features().names(),
                forecaster.scaling().spec(), layerSpecs(forecaster.network()), forecaster.training(), null);
    }

    /** The layers of a network as the document lists them, weights included; the first carries the input shape. */
    public static List<ModelDocument.LayerSpec> layerSpecs(Sequential network) {
        List<ModelDocument.LayerSpec> specs = new ArrayList<>();
        for (Layer layer : network.layers()) {
            boolean first = specs.isEmpty();
            if (layer instanceof Lstm lstm) {
                specs.add(new ModelDocument.LayerSpec("lstm", lstm.units(), lstm.activation().kerasName(),
                        lstm.recurrentActivation().kerasName(),
                        first ? List.of(lstm.timesteps(), lstm.features()) : null,
                        null, null, lstm.returnSequences() ? Boolean.TRUE : null, null, null,
                        new ModelDocument.Weights(rows(lstm.kernel().value()), rows(lstm.recurrentKernel().value()),
                                lstm.bias().value().data.clone())));
            } else if (layer instanceof Gru gru) {
                int u3 = 3 * gru.units();
                double[] bias = gru.bias().value().data;
                specs.add(new ModelDocument.LayerSpec("gru", gru.units(), gru.activation().kerasName(),
                        gru.recurrentActivation().kerasName(), first ? List.of(gru.timesteps(), gru.features()) : null,
                        null, null, gru.returnSequences() ? Boolean.TRUE : null, gru.resetAfter(), null,
                        new ModelDocument.Weights(rows(gru.kernel().value()), rows(gru.recurrentKernel().value()),
                                Arrays.copyOf(bias, u3),
                                gru.resetAfter() ? Arrays.copyOfRange(bias, u3, 2 * u3) : null)));
            } else if (layer instanceof SimpleRnn rnn) {
                specs.add(new ModelDocument.LayerSpec("simple_rnn", rnn.units(), rnn.activation().kerasName(), null,
                        first ? List.of(rnn.timesteps(), rnn.features()) : null, null, null,
                        rnn.returnSequences() ? Boolean.TRUE : null, null, null,
                        new ModelDocument.Weights(rows(rnn.kernel().value()), rows(rnn.recurrentKernel().value()),
                                Arrays.copyOf(rnn.bias().value().data, rnn.units()))));
            } else if (layer instanceof Dense dense) {
                specs.add(new ModelDocument.LayerSpec("dense", dense.units(), dense.activation().kerasName(), null,
                        first ? List.of(dense.inputSize()) : null, null, null, null, null, null,
                        new ModelDocument.Weights(rows(dense.kernel().value()), null,
                                Arrays.copyOf(dense.bias().value().data, dense.units()))));
            } else if (layer instanceof Dropout dropout) {
                specs.add(new ModelDocument.LayerSpec("dropout", null, null, null, null, null, null, null, null,
                        dropout.rate(), null));
            } else {
                throw new IllegalArgumentException("no model document form for layer type " + layer.type());
            }
        }
        return specs;
    }

    private static double[][] rows(DMatrixRMaj m) {
        double[][] out = new double[m.numRows][m.numCols];
        for (int r = 0; r < m.numRows; r++) {
            System.arraycopy(m.data, r * m.numCols, out[r], 0, m.numCols);
        }
        return out;
    }
}
