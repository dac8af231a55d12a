package dev.streamcast.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.Predictor;
import dev.streamcast.nn.Parameter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a model as a TensorFlow.js layers model, the files {@code model.save("file://DIR")} writes and
 * {@code tf.loadLayersModel} reads: {@code model.json} (format {@code layers-model}: the Sequential topology, the
 * first layer carrying {@code batch_input_shape}, and the weights manifest) and {@code weights.bin}, every weight
 * as little-endian float32 end to end in the manifest's order, each named {@code <layer>/<kernel|recurrent_kernel|
 * bias>} as TF.js names them.
 */
public final class TfjsModelWriter {

    /** The weight file's name, as model.json's manifest lists it. */
    public static final String WEIGHTS_FILE = "weights.bin";

    /**
     * The TF.js layers version whose format and activations the topology follows (and is tested against); TF.js
     * computes hard_sigmoid as Keras 2 does, and {@link KerasImporter} reads it so.
     */
    public static final String TFJS_LAYERS_VERSION = "4.22.0";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> WEIGHT_NAMES = List.of("kernel", "recurrent_kernel", "bias");

    /** The two files of the model. */
    public record TfjsModel(byte[] modelJson, byte[] weights) {
    }

    private TfjsModelWriter() {
    }

    /**
     * The TF.js model of a trained model document; {@code generatedBy} names the writer in model.json. A layer
     * TF.js cannot compute as Streamcast does is refused ({@link ExportedLayers}).
     */
    public static TfjsModel write(ModelDocument doc, String generatedBy) {
        Predictor predictor = ModelCodec.toPredictor(doc);
        List<ExportedLayers.ExportedLayer> layers = ExportedLayers.of(predictor.network(),
                ExportedLayers.Target.TFJS);
        ArrayNode layerList = NODES.arrayNode();
        ArrayNode manifest = NODES.arrayNode();
        int floats = 0;
        for (ExportedLayers.ExportedLayer layer : layers) {
            ObjectNode config = layer.config().deepCopy();
            if (layerList.isEmpty()) {
                config.set("batch_input_shape", ExportedLayers.batchShape(predictor.inputShape()));
            }
            ObjectNode node = NODES.objectNode();
            node.put("class_name", layer.className());
            node.set("config", config);
            layerList.add(node);
            for (int k = 0; k < layer.weights().size(); k++) {
                Parameter p = layer.weights().get(k);
                ObjectNode spec = NODES.objectNode();
                spec.put("name", layer.name() + "/" + WEIGHT_NAMES.get(layer.recurrent() ? k : k == 0 ? 0 : 2));
                spec.set("shape", ExportedLayers.ints(p.kerasShape()));
                spec.put("dtype", "float32");
                manifest.add(spec);
                floats += p.size();
            }
        }
        ByteBuffer weights = ByteBuffer.allocate(4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        for (ExportedLayers.ExportedLayer layer : layers) {
            for (Parameter p : layer.weights()) {
                for (float v : ExportedLayers.float32(p)) {
                    weights.putFloat(v);
                }
            }
        }
        ObjectNode modelConfig = NODES.objectNode();
        modelConfig.put("name", KerasFileWriter.modelName(doc.modelId()));
        modelConfig.set("layers", layerList);
        ObjectNode topology = NODES.objectNode();
        topology.put("class_name", "Sequential");
        topology.set("config", modelConfig);
        topology.put("keras_version", "tfjs-layers " + TFJS_LAYERS_VERSION);
        topology.put("backend", "tensor_flow.js");
        ObjectNode group = NODES.objectNode();
        group.set("paths", NODES.arrayNode().add(WEIGHTS_FILE));
        group.set("weights", manifest);
        ObjectNode root = NODES.objectNode();
        root.put("format", "layers-model");
        root.put("generatedBy", generatedBy);
        root.putNull("convertedBy");
        root.set("modelTopology", topology);
        root.set("weightsManifest", NODES.arrayNode().add(group));
        try {
            return new TfjsModel(JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8), weights.array());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
