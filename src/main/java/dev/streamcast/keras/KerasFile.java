package dev.streamcast.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.model.ModelFormatException;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A model file written by Keras, opened for reading: its Keras version, its model configuration (JSON) and each
 * layer's weights, whichever of Keras's containers holds them. HDF5 is read with jHDF.
 * <ul>
 *   <li>a Keras 3 {@code .keras} file, a zip of {@code config.json}, {@code metadata.json} (the Keras version) and
 *   {@code model.weights.h5}, where the weights of the model's k-th layer are {@code layers/<name>/vars/0, 1, ...}
 *   ({@code layers/<name>/cell/vars/...} for a recurrent layer), the name being the layer's class in snake case,
 *   numbered by order of appearance ({@code lstm}, {@code lstm_1}, {@code dense}, ...), not the layer's own name;</li>
 *   <li>a legacy HDF5 {@code .h5} file (Keras 2, and Keras 3's {@code save("x.h5")}): the root attributes
 *   {@code model_config} and {@code keras_version}, and the group {@code model_weights/<layer name>} whose attribute
 *   {@code weight_names} lists the layer's datasets in order.</li>
 * </ul>
 * Every problem is a {@link ModelFormatException} in one sentence naming the file's part that is wrong.
 */
public final class KerasFile {

    /** One weight tensor: its shape and its values, row-major, widened from float32 exactly. */
    public record Tensor(int[] shape, double[] values) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] ZIP_SIGNATURE = {'P', 'K', 3, 4};

    private final String kerasVersion;
    private final JsonNode modelConfig;
    private final boolean kerasZip;
    private final HdfFile hdf;
    // TensorFlow.js: every weight by its name, in the manifest's order; null for Keras's own files
    private final Map<String, Tensor> tfjsWeights;

    private KerasFile(String kerasVersion, JsonNode modelConfig, boolean kerasZip, HdfFile hdf,
                      Map<String, Tensor> tfjsWeights) {
        this.kerasVersion = kerasVersion;
        this.modelConfig = modelConfig;
        this.kerasZip = kerasZip;
        this.hdf = hdf;
        this.tfjsWeights = tfjsWeights;
    }

    /** Opens a {@code .keras} or {@code .h5} file, telling them apart by their first bytes. */
    public static KerasFile open(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("no such file");
        } catch (IOException e) {
            throw new ModelFormatException("cannot read: " + e.getMessage(), e);
        }
        try {
            if (startsWith(bytes, ZIP_SIGNATURE)) {
                return openKerasZip(bytes);
            }
            if (startsWith(bytes, HDF5_SIGNATURE)) {
                return openLegacyHdf5(bytes);
            }
            if (bytes.length > 0 && new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8).strip()
                    .startsWith("{")) {
                return openTfjs(file, bytes);
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            // jHDF reads lazily and a damaged file fails wherever the damage is, with whatever exception the
            // reading code meets there (buffer underflows, bad offsets)
            throw damaged(e);
        }
        throw new ModelFormatException("not a Keras model file: neither a .keras zip, an HDF5 .h5 file nor a "
                + "TensorFlow.js model.json");
    }

    private static ModelFormatException damaged(RuntimeException e) {
        return new ModelFormatException("a damaged HDF5 file: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getMessage().lines().findFirst().orElse("")), e);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (bytes[k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    private static KerasFile openKerasZip(byte[] bytes) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (name.equals("config.json") || name.equals("metadata.json") || name.equals("model.weights.h5")) {
                    entries.put(name, readAll(zip));
                }
            }
        } catch (ZipException | EOFException e) {
            throw new ModelFormatException("a damaged .keras file (zip): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read the .keras file: " + e.getMessage(), e);
        }
        for (String needed : List.of("config.json", "model.weights.h5")) {
            if (!entries.containsKey(needed)) {
                throw new ModelFormatException("a .keras file without " + needed + " (is it a Keras 3 model saved with "
                        + "model.save(\"x.keras\")?)");
            }
        }
        JsonNode config = json(entries.get("config.json"), "config.json");
        String version = null;
        if (entries.containsKey("metadata.json")) {
            version = json(entries.get("metadata.json"), "metadata.json").path("keras_version").asText(null);
        }
        HdfFile hdf = hdf5(entries.get("model.weights.h5"), "model.weights.h5");
        return new KerasFile(version == null ? "3" : version, config, true, hdf, null);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static KerasFile openLegacyHdf5(byte[] bytes) {
        HdfFile hdf = hdf5(bytes, "the HDF5 file");
        String config = stringAttribute(hdf, "model_config");
        if (config == null) {
            throw new ModelFormatException("an HDF5 file without the attribute model_config: a weights-only file "
                    + "(save_weights)? Save the whole model with model.save(\"x.h5\") or model.save(\"x.keras\")");
        }
        String version = stringAttribute(hdf, "keras_version");
        JsonNode modelConfig = json(config.getBytes(StandardCharsets.UTF_8), "model_config");
        return new KerasFile(version == null ? "2" : version, modelConfig, false, hdf, null);
    }

    /**
     * A TensorFlow.js layers model: model.json and the weight files its manifest lists, read in the manifest's
     * order, each group's files end to end.
     */
    private static KerasFile openTfjs(Path file, byte[] bytes) {
        JsonNode root = json(bytes, "model.json");
        if (!root.has("modelTopology") || !root.has("weightsManifest")) {
            throw new ModelFormatException("model.json: " + (root.path("format").asText("").equals("graph-model")
                    ? "a TensorFlow.js graph model has no layers to import; save a layers model (model.save)"
                    : "no modelTopology and weightsManifest: not a TensorFlow.js layers model"));
        }
        JsonNode topology = root.path("modelTopology");
        // tensorflowjs_converter wraps a Keras file's configuration as Keras's HDF5 attributes are
        JsonNode config = topology.has("model_config") ? topology.path("model_config") : topology;
        String version = topology.has("keras_version") ? topology.path("keras_version").asText()
                : "tfjs-layers " + root.path("generatedBy").asText("").replaceFirst("^.*\\sv", "");
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Path dir = file.toAbsolutePath().getParent();
        for (JsonNode group : root.path("weightsManifest")) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (JsonNode path : group.path("paths")) {
                Path part = dir.resolve(path.asText()).normalize();
                if (!part.startsWith(dir)) {
                    throw new ModelFormatException("model.json: weight file " + path.asText()
                            + " is outside its folder");
                }
                try {
                    data.writeBytes(Files.readAllBytes(part));
                } catch (NoSuchFileException e) {
                    throw new ModelFormatException("model.json lists the weight file " + path.asText()
                            + ", which is not beside it");
                } catch (IOException e) {
                    throw new ModelFormatException("cannot read the weight file " + path.asText() + ": "
                            + e.getMessage(), e);
                }
            }
            ByteBuffer buffer = ByteBuffer.wrap(data.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode spec : group.path("weights")) {
                String name = spec.path("name").asText();
                if (!spec.path("dtype").asText("float32").equals("float32") || spec.has("quantization")) {
                    throw new ModelFormatException("model.json: weight " + name + " is " + spec.path("dtype").asText()
                            + (spec.has("quantization") ? ", quantized" : "") + "; only float32 weights are imported");
                }
                int[] shape = new int[spec.path("shape").size()];
                int count = 1;
                for (int k = 0; k < shape.length; k++) {
                    shape[k] = spec.path("shape").get(k).asInt();
                    count *= shape[k];
                }
                if (buffer.remaining() < 4L * count) {
                    throw new ModelFormatException("the weight files end before weight " + name + " (" + count
                            + " float32 values)");
                }
                double[] values = new double[count];
                for (int k = 0; k < count; k++) {
                    values[k] = buffer.getFloat();
                    if (!Double.isFinite(values[k])) {
                        throw new ModelFormatException("weight " + name + ": a value is " + values[k]);
                    }
                }
                weights.put(name, new Tensor(shape, values));
            }
        }
        return new KerasFile(version, config, false, null, weights);
    }

    private static HdfFile hdf5(byte[] bytes, String what) {
        try {
            return HdfFile.fromBytes(bytes);
        } catch (RuntimeException e) {
            throw new ModelFormatException(what + " is not readable HDF5: " + e.getMessage(), e);
        }
    }

    private static JsonNode json(byte[] bytes, String what) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ModelFormatException(what + ": expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(what + ": malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException(what + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String stringAttribute(Node node, String name) {
        Attribute attribute = node.getAttribute(name);
        if (attribute == null) {
            return null;
        }
        Object data = attribute.getData();
        if (data instanceof String s) {
            return s;
        }
        if (data instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return data == null ? null : String.valueOf(data);
    }

    /** The Keras version that wrote the file, e.g. {@code 2.3.1} or {@code 3.15.1}. */
    public String kerasVersion() {
        return kerasVersion;
    }

    /** Where the model comes from: {@code keras}, or {@code tfjs} for a TensorFlow.js layers model. */
    public String source() {
        return tfjsWeights != null ? "tfjs" : "keras";
    }

    /**
     * The major Keras version (2 or 3): it decides what {@code hard_sigmoid} computes. TensorFlow.js layers follow
     * Keras 2 (hard_sigmoid is 0.2x + 0.5).
     */
    public int kerasMajorVersion() {
        if (kerasVersion.startsWith("tfjs")) {
            return 2;
        }
        String digits = kerasVersion.replaceFirst("^(\\d+).*$", "$1");
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new ModelFormatException("keras_version: '" + kerasVersion + "' is not a version number", e);
        }
    }

    /** The model's configuration: {@code {"class_name": "Sequential", "config": {...}}}. */
    public JsonNode modelConfig() {
        return modelConfig;
    }

    /** Whether the file is a Keras 3 {@code .keras} zip (else a legacy HDF5 file). */
    public boolean isKerasZip() {
        return kerasZip;
    }

    /**
     * The weights of one layer, in Keras's order (kernel, recurrent kernel, bias).
     *
     * @param layerName      the layer's own name (legacy files address the weights by it)
     * @param savedName      the name a .keras file gives the layer: its class in snake case, numbered by order of
     *                       appearance ({@link #savedNames})
     */
    public List<Tensor> weights(String layerName, String savedName) {
        if (tfjsWeights != null) {
            List<Tensor> out = new ArrayList<>();
            tfjsWeights.forEach((name, tensor) -> {
                if (name.startsWith(layerName + "/")) {
                    out.add(tensor);
                }
            });
            return out;
        }
        try {
            return kerasZip ? zipWeights(savedName) : legacyWeights(layerName);
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw damaged(e);
        }
    }

    private List<Tensor> zipWeights(String savedName) {
        Node layer = node("layers/" + savedName);
        if (layer == null) {
            // as Keras reads it: a layer without weights (Dropout) may have no group at all
            return List.of();
        }
        if (!(layer instanceof Group group)) {
            throw new ModelFormatException("model.weights.h5: layers/" + savedName + " is not a group");
        }
        Node cell = group.getChild("cell");
        Group vars = (Group) (cell instanceof Group c && c.getChild("vars") instanceof Group ? c.getChild("vars")
                : group.getChild("vars"));
        List<Tensor> out = new ArrayList<>();
        if (vars == null) {
            return out;
        }
        for (int k = 0; vars.getChild(String.valueOf(k)) != null; k++) {
            out.add(tensor(vars.getChild(String.valueOf(k)), "layers/" + savedName + "/vars/" + k));
        }
        return out;
    }

    private List<Tensor> legacyWeights(String layerName) {
        Node group = node("model_weights/" + layerName);
        if (!(group instanceof Group)) {
            throw new ModelFormatException("no weights group model_weights/" + layerName);
        }
        Attribute names = group.getAttribute("weight_names");
        List<Tensor> out = new ArrayList<>();
        Object data = names == null ? null : names.getData();
        if (!(data instanceof String[] paths)) {
            return out;
        }
        for (String path : paths) {
            String full = "model_weights/" + layerName + "/" + path;
            out.add(tensor(node(full), full));
        }
        return out;
    }

    private Node node(String path) {
        try {
            return hdf.getByPath(path);
        } catch (HdfException e) {
            return null;
        }
    }

    private static Tensor tensor(Node node, String path) {
        if (!(node instanceof Dataset dataset)) {
            throw new ModelFormatException("no weight dataset " + path);
        }
        Object flat;
        try {
            flat = dataset.getDataFlat();
        } catch (HdfException e) {
            throw new ModelFormatException(path + ": unreadable weights: " + e.getMessage(), e);
        }
        double[] values;
        if (flat instanceof float[] f) {
            values = new double[f.length];
            for (int k = 0; k < f.length; k++) {
                values[k] = f[k];
            }
        } else if (flat instanceof double[] d) {
            values = d.clone();
        } else {
            throw new ModelFormatException(path + ": expected float weights, got " + dataset.getJavaType());
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new ModelFormatException(path + ": a weight is " + v);
            }
        }
        return new Tensor(dataset.getDimensions(), values);
    }

    /**
     * The names a .keras file gives the model's layers, in order: the class name in snake case ({@code SimpleRNN}
     * becomes {@code simple_rnn}), then {@code _1}, {@code _2}, ... for the second and later of a class. Keras's
     * {@code naming.to_snake_case} and the numbering of its saving library.
     */
    public static List<String> savedNames(List<String> classNames) {
        Map<String, Integer> used = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (String className : classNames) {
            String name = className.replaceAll("\\W+", "");
            name = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
            name = name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
            Integer count = used.get(name);
            if (count == null) {
                used.put(name, 0);
                names.add(name);
            } else {
                used.put(name, count + 1);
                names.add(name + "_" + (count + 1));
            }
        }
        return names;
    }
}
