package dev.streamcast.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The Keras reference vectors in src/test/resources/golden (the seed model run by TensorFlow.js layers 4.22, a port of
 * Keras, in float32, from fixed starting weights: golden-1 with activation relu, golden-2 tanh; the seed's layers on
 * four features per step run by Keras 3.15.1 itself: golden-wide-5 relu, golden-wide-6 tanh) and how to compare.
 */
public final class Golden {

    public final String file;
    public final JsonNode root;

    private Golden(String file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public static Golden load(String file) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + file)) {
            return new Golden(file, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> files() {
        return List.of("golden-1.json", "golden-2.json");
    }

    /** The files of steps that carry four features (input shape (3, 4)), made by Keras 3.15.1. */
    public static List<String> wideFiles() {
        return List.of("golden-wide-5.json", "golden-wide-6.json");
    }

    /** The seed model with the file's activation and input shape, weights set to its initial weights. */
    public Sequential seedModel() {
        JsonNode lstm = root.path("config").path("layers").get(0);
        JsonNode shape = lstm.path("input_shape");
        Sequential net = new Sequential(List.of(
                new Lstm("lstm", 10, shape.get(0).asInt(), shape.get(1).asInt(),
                        Activation.fromKerasName(lstm.path("activation").asText()),
                        Activation.fromKerasName(lstm.path("recurrent_activation").asText())),
                new Dense("dense1", 10, 5, Activation.LINEAR),
                new Dense("dense2", 5, 3, Activation.LINEAR),
                new Dense("dense3", 3, 1, Activation.LINEAR)));
        setWeights(net, root.path("initial_weights"));
        return net;
    }

    /** Sets every parameter from {name: {values}} or {name: [values]}; Keras's layout is row-major as ours. */
    public static void setWeights(Sequential net, JsonNode weights) {
        for (Parameter p : net.parameters()) {
            double[] values = values(weights.path(p.name()));
            assertEquals(p.size(), values.length, p.name() + " size");
            System.arraycopy(values, 0, p.value().data, 0, values.length);
        }
    }

    public static double[] values(JsonNode node) {
        JsonNode array = node.has("values") ? node.path("values") : node;
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    public static double[][] matrix(JsonNode node) {
        double[][] out = new double[node.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = values(node.get(i));
        }
        return out;
    }

    /**
     * |actual - expected| &lt;= rel * max(|expected|, 1% of the tensor's largest magnitude) + abs, element by element,
     * naming the first element that fails. The floor matters for the float32 references: an element that is the
     * small difference of large terms carries float32 rounding of the large terms' size.
     */
    public static void assertClose(double[] expected, double[] actual, double rel, double abs, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double largest = 0;
        for (double e : expected) {
            largest = Math.max(largest, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double tolerance = rel * Math.max(Math.abs(expected[i]), 0.01 * largest) + abs;
            double e = expected[i];
            double a = actual[i];
            assertTrue(Math.abs(a - e) <= tolerance,
                    () -> what + " differs: expected " + e + ", got " + a + " (tolerance " + tolerance + ")");
        }
    }

    /**
     * ||actual - expected|| &lt;= rel * ||expected|| over the whole tensor: how the tolerance on the weights is meant
     * after a 400-step fit (1e-4 relative, docs/design.md), where float32 rounding in the reference makes single
     * small elements drift.
     */
    public static void assertCloseAsTensor(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        double relative = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-300);
        assertTrue(relative <= rel, () -> what + " differs by " + relative + " relative (tolerance " + rel + ")");
    }
}
