package dev.streamcast.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.Predictor;
import dev.streamcast.nn.Layer;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.WritableGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a model as Keras 3 writes {@code model.save("x.keras")}, so that {@code keras.saving.load_model} reads it
 * and predicts what Streamcast predicts: a zip, its entries stored as Keras stores them, of
 * <ul>
 *   <li>{@code metadata.json}: {@code keras_version} (the Keras version whose format and layer semantics the file
 *   follows; {@link KerasImporter} reads hard_sigmoid by it) and {@code date_saved};</li>
 *   <li>{@code config.json}: a Sequential model, an InputLayer with the input shape, then each layer's
 *   configuration and {@code build_config};</li>
 *   <li>{@code model.weights.h5}, written with jHDF: the k-th layer's weights as float32 datasets
 *   {@code layers/<name>/vars/0, 1, ...} ({@code layers/<name>/cell/vars/...} for a recurrent layer), each
 *   {@code vars} group carrying its object's name, the layout of Keras's saving library (H5IOStore).</li>
 * </ul>
 */
public final class KerasFileWriter {

    /** The Keras version whose {@code .keras} layout and activations this writer follows (and is tested against). */
    public static final String KERAS_VERSION = "3.15.1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter DATE_SAVED = DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss");
    // Keras's zip entries carry zipfile's default date for the JSON files; the weights carry their file's
    private static final LocalDateTime ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

    private KerasFileWriter() {
    }

    /**
     * The {@code .keras} file of a trained model document. A layer Keras 3 cannot compute as Streamcast does is
     * refused ({@link ExportedLayers}).
     */
    public static byte[] write(ModelDocument doc) {
        Predictor predictor = ModelCodec.toPredictor(doc);
        List<ExportedLayers.ExportedLayer> layers = ExportedLayers.of(predictor.network(),
                ExportedLayers.Target.KERAS3);
        String modelName = modelName(doc.modelId());
        byte[] metadata = json(metadata());
        byte[] config = json(config(modelName, predictor, layers));
        byte[] weights = weights(layers);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "metadata.json", metadata);
            stored(zip, "config.json", config);
            stored(zip, "model.weights.h5", weights);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A Keras name for the model: the model id with anything but letters, digits and underscores as '_'. */
    static String modelName(String modelId) {
        String name = modelId == null ? "" : modelId.replaceAll("[^A-Za-z0-9_]", "_");
        return name.isEmpty() ? "sequential" : name;
    }

    private static ObjectNode metadata() {
        ObjectNode node = NODES.objectNode();
        node.put("keras_version", KERAS_VERSION);
        node.put("date_saved", LocalDateTime.now(ZoneOffset.UTC).format(DATE_SAVED));
        return node;
    }

    private static ObjectNode config(String modelName, Predictor predictor, List<ExportedLayers.ExportedLayer> layers) {
        int[] shape = predictor.inputShape();
        ObjectNode input = NODES.objectNode();
        input.set("batch_shape", ExportedLayers.batchShape(shape));
        input.put("dtype", "float32");
        input.put("sparse", false);
        input.put("ragged", false);
        input.put("name", "input_layer");
        input.put("optional", false);
        ArrayNode list = NODES.arrayNode();
        list.add(layer("InputLayer", input, null));
        int timesteps = shape.length == 2 ? shape[0] : 0;
        int[] layerInput = shape;
        for (int k = 0; k < layers.size(); k++) {
            ExportedLayers.ExportedLayer exported = layers.get(k);
            Layer layer = predictor.network().layers().get(k);
            ObjectNode build = NODES.objectNode();
            build.set("input_shape", ExportedLayers.batchShape(layerInput));
            // Keras writes no build_config for Dropout, which has nothing to build
            list.add(layer(exported.className(), exported.config(), exported.className().equals("Dropout") ? null
                    : build));
            layerInput = exported.className().equals("Dropout") ? layerInput
                    : ExportedLayers.outputShape(layer, timesteps);
        }
        ObjectNode modelConfig = NODES.objectNode();
        modelConfig.put("name", modelName);
        modelConfig.put("trainable", true);
        modelConfig.put("dtype", "float32");
        modelConfig.set("layers", list);
        modelConfig.set("build_input_shape", ExportedLayers.batchShape(shape));
        ObjectNode model = NODES.objectNode();
        model.put("module", "keras");
        model.put("class_name", "Sequential");
        model.set("config", modelConfig);
        model.putNull("registered_name");
        ObjectNode build = NODES.objectNode();
        build.set("input_shape", ExportedLayers.batchShape(shape));
        model.set("build_config", build);
        model.set("compile_config", NODES.objectNode());
        return model;
    }

    private static ObjectNode layer(String className, ObjectNode config, ObjectNode build) {
        ObjectNode node = NODES.objectNode();
        node.put("module", "keras.layers");
        node.put("class_name", className);
        node.set("config", config);
        node.putNull("registered_name");
        if (build != null) {
            node.set("build_config", build);
        }
        return node;
    }

    /**
     * model.weights.h5. jHDF writes to a file, so it goes through a temporary one; a recurrent layer's weights are its
     * cell's, named as Keras names the cell (lstm_cell, gru_cell, simple_rnn_cell). The groups Keras writes empty (the
     * model's {@code vars}, a Dropout's, a recurrent layer's own) are left out: Keras reads a missing group as an
     * object without weights, and jHDF (0.10.0, and 0.13.0 still) writes its signature over the header of an empty
     * group that comes last in the file. The file is read back and every weight compared, so that a file jHDF wrote
     * wrong is never handed out.
     */
    private static byte[] weights(List<ExportedLayers.ExportedLayer> layers) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("streamcast-export", ".weights.h5");
            try (WritableHdfFile hdf = HdfFile.write(tmp)) {
                WritableGroup root = hdf.putGroup("layers");
                for (ExportedLayers.ExportedLayer layer : layers) {
                    if (layer.weights().isEmpty()) {
                        continue;
                    }
                    WritableGroup group = root.putGroup(layer.name());
                    WritableGroup vars;
                    if (layer.recurrent()) {
                        vars = group.putGroup("cell").putGroup("vars");
                        vars.putAttribute("name", layer.className().equals("SimpleRNN") ? "simple_rnn_cell"
                                : layer.className().toLowerCase(Locale.ROOT) + "_cell");
                    } else {
                        vars = group.putGroup("vars");
                        vars.putAttribute("name", layer.name());
                    }
                    for (int k = 0; k < layer.weights().size(); k++) {
                        vars.putDataset(String.valueOf(k), ExportedLayers.float32Shaped(layer.weights().get(k)));
                    }
                }
            }
            byte[] bytes = Files.readAllBytes(tmp);
            checkReadsBack(bytes, layers);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Reads the weights file back with jHDF's reader: every weight is where Keras looks and holds its value. */
    private static void checkReadsBack(byte[] bytes, List<ExportedLayers.ExportedLayer> layers) {
        try (HdfFile hdf = HdfFile.fromBytes(bytes)) {
            for (ExportedLayers.ExportedLayer layer : layers) {
                String vars = "layers/" + layer.name() + (layer.recurrent() ? "/cell/vars/" : "/vars/");
                for (int k = 0; k < layer.weights().size(); k++) {
                    Dataset dataset = hdf.getDatasetByPath(vars + k);
                    float[] expected = ExportedLayers.float32(layer.weights().get(k));
                    if (!Arrays.equals((float[]) dataset.getDataFlat(), expected)) {
                        throw new IllegalStateException("model.weights.h5: " + vars + k + " does not read back as "
                                + "written");
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("model.weights.h5 as jHDF wrote it does not read back: " + e, e);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // the export succeeded or already failed; a temporary file left behind is the system's to clean
            tmp.toFile().deleteOnExit();
        }
    }

    /** A stored (uncompressed) zip entry, as Keras's zipfile writes them. */
    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(name.endsWith(".json") ? ZIP_EPOCH : LocalDateTime.now(ZoneOffset.UTC));
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private static byte[] json(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
