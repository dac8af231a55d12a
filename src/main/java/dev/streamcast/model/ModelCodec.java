package dev.streamcast.model;

import dev.streamcast.nn.Activation;
import dev.streamcast.nn.Dense;
import dev.streamcast.nn.KerasInitializers;
import dev.streamcast.nn.Layer;
import dev.streamcast.nn.Lstm;
import dev.streamcast.nn.Parameter;
import dev.streamcast.nn.Sequential;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.ejml.data.DMatrixRMaj;

/**
 * The model document's codec: turns a {@link ModelDocument} into the {@link Forecaster} it describes and a
 * forecaster back into its document. Callers reach the document's JSON form through here too ({@link #parse},
 * {@link #write}, {@link #writeCompact}, {@link #read}); the JSON reading and writing itself, and the translation
 * of Jackson's errors, is {@link ModelJson}'s.
 *
 * <p>Everything a document says is checked before it is used: the first layer must be an LSTM with an input
 * shape, the last must output one value, activations must exist, and each weight must have exactly the shape
 * the architecture implies. Every refusal is a {@link ModelFormatException} naming the field.
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

    /** The document as indented JSON (for files). */
    public static byte[] write(ModelDocument doc) {
        return ModelJson.write(doc);
    }

    /** The document as one line of JSON (for the models topic). */
    public static byte[] writeCompact(ModelDocument doc) {
        return ModelJson.writeCompact(doc);
    }

    /** Parses and builds in one step; an architecture without weights is initialised from {@code seed}. */
    public static Forecaster read(byte[] json, long seed) {
        return toForecaster(parse(json), seed);
    }

    /** Whether every layer of the document carries weights (a trained model, not an architecture). */
    public static boolean hasWeights(ModelDocument doc) {
        return doc.layers() != null && !doc.layers().isEmpty()
                && doc.layers().stream().allMatch(l -> l != null && l.weights() != null);
    }

    /**
     * Builds the forecaster a document describes. A document with weights uses them; one without (an
     * architecture) gets Keras's initialisation, reproducible from {@code seed}, and, when it names none, the default
     * scaling ({@link Scaling.Sensor}).
     */
    public static Forecaster toForecaster(ModelDocument doc, long seed) {
        if (doc.format() == null) {
            throw new ModelFormatException("format: missing; expected \"" + ModelDocument.FORMAT + "\"");
        }
        if (!ModelDocument.FORMAT.equals(doc.format())) {
            throw new ModelFormatException("format: expected \"" + ModelDocument.FORMAT + "\", got \"" + doc.format() + "\"");
        }
        List<ModelDocument.LayerSpec> specs = doc.layers();
        if (specs == null || specs.isEmpty()) {
            throw new ModelFormatException("layers: missing; expected at least an lstm layer and a dense layer");
        }
        boolean anyWeights = specs.stream().anyMatch(l -> l != null && l.weights() != null);
        boolean allWeights = hasWeights(doc);
        if (anyWeights && !allWeights) {
            int missing = 0;
            while (specs.get(missing) != null && specs.get(missing).weights() != null) {
                missing++;
            }
            throw new ModelFormatException("layers[" + missing + "].weights: missing; either every layer has weights or none");
        }
        Sequential network = buildNetwork(specs);
        int timesteps = ((Lstm) network.layers().get(0)).timesteps();
        if (doc.windowLength() != null && doc.windowLength() != timesteps) {
            throw new ModelFormatException("windowLength: " + doc.windowLength() + " differs from the lstm input shape ["
                    + timesteps + ", 1]");
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
        if (allWeights) {
            for (int k = 0; k < specs.size(); k++) {
                setWeights(k, network.layers().get(k), specs.get(k).weights());
            }
        } else {
            KerasInitializers.initialize(network, new SplittableRandom(seed));
        }
        String modelId = doc.modelId() == null ? "default" : doc.modelId();
        long version = doc.version() == null ? 0 : doc.version();
        if (version < 0) {
            throw new ModelFormatException("version: must be 0 or more, got " + version);
        }
        return new Forecaster(modelId, version, doc.createdAt(), timesteps, scaling, network, doc.training());
    }

    /** Builds the layers a document lists, checking each field; weights are left at zero. */
    public static Sequential buildNetwork(List<ModelDocument.LayerSpec> specs) {
        List<Layer> layers = new ArrayList<>();
        int denseCount = 0;
        int previousOutput = -1;
        for (int k = 0; k < specs.size(); k++) {
            ModelDocument.LayerSpec spec = specs.get(k);
            String at = "layers[" + k + "]";
            if (spec == null) {
                throw new ModelFormatException(at + ": missing");
            }
            if (spec.type() == null) {
                throw new ModelFormatException(at + ".type: missing; expected lstm or dense");
            }
            if (spec.units() == null) {
                throw new ModelFormatException(at + ".units: missing; expected a positive integer");
            }
            if (spec.units() < 1 || spec.units() > 4096) {
                throw new ModelFormatException(at + ".units: expected 1 to 4096, got " + spec.units());
            }
            switch (spec.type()) {
                case "lstm": {
                    if (k != 0) {
                        throw new ModelFormatException(at + ".type: an lstm layer must be the first layer (it returns "
                                + "only its last hidden state)");
                    }
                    int[] shape = inputShape(spec, at);
                    if (shape[1] != 1) {
                        throw new ModelFormatException(at + ".inputShape: expected [timesteps, 1] (one reading per "
                                + "step), got " + Arrays.toString(shape));
                    }
                    Activation activation = activation(spec.activation(), Activation.TANH, at + ".activation");
                    Activation recurrent = activation(spec.recurrentActivation(), Activation.SIGMOID,
                            at + ".recurrentActivation");
                    if (recurrent != Activation.SIGMOID && recurrent != Activation.HARD_SIGMOID) {
                        throw new ModelFormatException(at + ".recurrentActivation: expected sigmoid or hard_sigmoid, got "
                                + recurrent.kerasName());
                    }
                    layers.add(new Lstm("lstm", spec.units(), shape[0], shape[1], activation, recurrent));
                    break;
                }
                case "dense": {
                    if (k == 0) {
                        throw new ModelFormatException(at + ".type: the first layer must be an lstm, got dense");
                    }
                    if (spec.recurrentActivation() != null || spec.inputShape() != null || spec.inputDim() != null
                            || spec.inputLength() != null) {
                        throw new ModelFormatException(at + ": a dense layer takes only type, units, activation and weights");
                    }
                    Activation activation = activation(spec.activation(), Activation.LINEAR, at + ".activation");
                    denseCount++;
                    layers.add(new Dense("dense" + denseCount, previousOutput, spec.units(), activation));
                    break;
                }
                default:
                    throw new ModelFormatException(at + ".type: unknown '" + spec.type() + "'; expected lstm or dense");
            }
            previousOutput = spec.units();
        }
        if (previousOutput != 1) {
            throw new ModelFormatException("layers[" + (specs.size() - 1) + "].units: the last layer must output 1 value "
                    + "(the forecast), got " + previousOutput);
        }
        return new Sequential(layers);
    }

    /** inputShape [timesteps, features], or inputLength + inputDim: the same model either way. */
    private static int[] inputShape(ModelDocument.LayerSpec spec, String at) {
        int[] fromShape = null;
        if (spec.inputShape() != null) {
            List<Integer> s = spec.inputShape();
            if (s.size() != 2 || s.contains(null) || s.get(0) < 1 || s.get(1) < 1) {
                throw new ModelFormatException(at + ".inputShape: expected [timesteps, features] with positive values, got "
                        + s);
            }
            fromShape = new int[] {s.get(0), s.get(1)};
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
            throw new ModelFormatException(at + ": inputShape " + Arrays.toString(fromShape) + " contradicts inputLength="
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

    private static void setWeights(int k, Layer layer, ModelDocument.Weights weights) {
        String at = "layers[" + k + "].weights";
        List<Parameter> params = layer.parameters();
        if (layer instanceof Lstm) {
            copyMatrix(weights.kernel(), params.get(0), at + ".kernel");
            copyMatrix(weights.recurrentKernel(), params.get(1), at + ".recurrentKernel");
            copyVector(weights.bias(), params.get(2), at + ".bias");
        } else {
            if (weights.recurrentKernel() != null) {
                throw new ModelFormatException(at + ".recurrentKernel: a dense layer has no recurrent kernel");
            }
            copyMatrix(weights.kernel(), params.get(0), at + ".kernel");
            copyVector(weights.bias(), params.get(1), at + ".bias");
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

    private static void copyVector(double[] values, Parameter p, String at) {
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
            m.data[c] = values[c];
        }
    }

    private static String shapeOf(double[][] values) {
        String cols = Arrays.stream(values).map(r -> r == null ? "null" : String.valueOf(r.length))
                .distinct().collect(Collectors.joining("|"));
        return "[" + values.length + ", " + (values.length == 0 ? "0" : cols) + "]";
    }

    /** The document of a forecaster, weights included. */
    public static ModelDocument toDocument(Forecaster forecaster) {
        List<ModelDocument.LayerSpec> specs = new ArrayList<>();
        for (Layer layer : forecaster.network().layers()) {
            if (layer instanceof Lstm lstm) {
                specs.add(new ModelDocument.LayerSpec("lstm", lstm.units(), lstm.activation().kerasName(),
                        lstm.recurrentActivation().kerasName(), List.of(lstm.timesteps(), lstm.features()), null, null,
                        new ModelDocument.Weights(rows(lstm.kernel().value()), rows(lstm.recurrentKernel().value()),
                                lstm.bias().value().data.clone())));
            } else if (layer instanceof Dense dense) {
                specs.add(new ModelDocument.LayerSpec("dense", dense.units(), dense.activation().kerasName(), null, null,
                        null, null, new ModelDocument.Weights(rows(dense.kernel().value()), null,
                        Arrays.copyOf(dense.bias().value().data, dense.units()))));
            }
        }
        String createdAt = forecaster.createdAt() != null ? forecaster.createdAt() : Instant.now().toString();
        return new ModelDocument(ModelDocument.FORMAT, forecaster.modelId(), forecaster.version(), createdAt,
                forecaster.windowLength(), forecaster.scaling().spec(), specs, forecaster.training());
    }

    private static double[][] rows(DMatrixRMaj m) {
        double[][] out = new double[m.numRows][m.numCols];
        for (int r = 0; r < m.numRows; r++) {
            System.arraycopy(m.data, r * m.numCols, out[r], 0, m.numCols);
        }
        return out;
    }
}
