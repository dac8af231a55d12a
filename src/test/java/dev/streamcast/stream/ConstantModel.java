package dev.streamcast.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A model document of the configured architecture that forecasts one constant whatever the window: every weight
 * zero, the last layer's bias the constant, no scaling. A forecaster whose errors a test can reason about.
 */
final class ConstantModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConstantModel() {
    }

    static byte[] document(ModelDocument architecture, String modelId, long version, double constant) {
        ObjectNode doc = (ObjectNode) JSON.valueToTree(ModelCodec.toDocument(ModelCodec.toForecaster(architecture, 1)
                .withIdentity(modelId, version, "2026-11-26T00:00:00Z", null)));
        doc.putObject("scaling").put("kind", "none");
        ArrayNode layers = (ArrayNode) doc.path("layers");
        for (JsonNode layer : layers) {
            zero(layer.path("weights"));
        }
        ArrayNode bias = (ArrayNode) layers.get(layers.size() - 1).path("weights").path("bias");
        bias.set(0, JSON.getNodeFactory().numberNode(constant));
        try {
            byte[] bytes = JSON.writeValueAsBytes(doc);
            ModelCodec.decode(bytes, 0); // the document is valid
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void zero(JsonNode node) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) {
                    ((ObjectNode) node).put(e.getKey(), 0.0);
                } else {
                    zero(e.getValue());
                }
            });
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isNumber()) {
                    array.set(i, JSON.getNodeFactory().numberNode(0.0));
                } else {
                    zero(array.get(i));
                }
            }
        }
    }
}
