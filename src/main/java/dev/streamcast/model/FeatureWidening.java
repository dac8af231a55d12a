package dev.streamcast.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A model moved to a wider set of {@link Features} that computes exactly what it computed before: the first layer's
 * kernel gains a row of zeros for each new feature (an architecture without weights only its input shape), so the
 * new features start with no effect and training gives them one. How a deployment's width-1 champion becomes the
 * start of its first wider challenger (docs/design.md, Seasons), and how {@code config/model.json} is widened to
 * {@code model.features}.
 *
 * <p>For a recurrent first layer the kernel is [F, k units] (a row per feature); for a dense first layer, which takes
 * the window flattened, [T F, units] (a row per step and feature).
 */
public final class FeatureWidening {

    private FeatureWidening() {
    }

    /**
     * The document with input {@code to}: each layer as it was, the first one's input shape [windowLength, to's count]
     * (dense: [windowLength x count]) and its kernel's rows moved to their features' new places, zeros elsewhere.
     *
     * @throws ModelFormatException when the document's features are not all in {@code to}, or its first layer's input
     *                              is not [windowLength, its features' count]
     */
    public static ModelDocument widen(ModelDocument doc, Features to) {
        Features from = doc.features() == null ? Features.VALUE : parseFeatures(doc.features());
        if (!from.isSubsetOf(to)) {
            throw new ModelFormatException("features: " + from + " cannot be widened to " + to + " (it has features "
                    + "the wider set lacks)");
        }
        if (from.equals(to)) {
            return doc;
        }
        List<ModelDocument.LayerSpec> layers = doc.layers();
        if (layers == null || layers.isEmpty() || layers.get(0) == null) {
            throw new ModelFormatException("layers: missing; expected at least an lstm layer and a dense layer");
        }
        ModelDocument.LayerSpec first = layers.get(0);
        boolean dense = "dense".equals(first.type());
        int windowLength = windowLength(first, from, dense);
        int width = to.count();
        List<Integer> shape = dense ? List.of(windowLength * width) : List.of(windowLength, width);
        ModelDocument.Weights weights = first.weights();
        if (weights != null) {
            weights = new ModelDocument.Weights(widenKernel(weights.kernel(), from, to, dense ? windowLength : 1),
                    weights.recurrentKernel(), weights.bias(), weights.recurrentBias());
        }
        List<ModelDocument.LayerSpec> widened = new ArrayList<>(layers);
        widened.set(0, new ModelDocument.LayerSpec(first.type(), first.units(), first.activation(),
                first.recurrentActivation(), shape, null, null, first.returnSequences(), first.resetAfter(),
                first.rate(), weights));
        return new ModelDocument(doc.format(), doc.modelId(), doc.version(), doc.createdAt(), doc.windowLength(),
                to.isValueOnly() ? null : to.names(), doc.scaling(), widened, doc.training(), doc.imported());
    }

    /** The forecaster as a model of the wider {@code to} ({@link #widen}); itself when its features are {@code to}. */
    public static Forecaster widen(Forecaster forecaster, Features to) {
        if (forecaster.features().equals(to)) {
            return forecaster;
        }
        return ModelCodec.toForecaster(widen(ModelCodec.toDocument(forecaster), to), 0);
    }

    private static Features parseFeatures(List<String> names) {
        try {
            return Features.of(names);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("features: " + e.getMessage(), e);
        }
    }

    private static int windowLength(ModelDocument.LayerSpec first, Features from, boolean dense) {
        List<Integer> shape = first.inputShape() != null ? first.inputShape()
                : first.inputDim() != null && first.inputLength() != null
                ? List.of(first.inputLength(), first.inputDim()) : null;
        int f = from.count();
        if (shape == null || shape.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ModelFormatException("layers[0].inputShape: missing; give inputShape [timesteps, features]");
        }
        if (dense && shape.size() == 1 && shape.get(0) % f == 0) {
            return shape.get(0) / f;
        }
        if (!dense && shape.size() == 2 && shape.get(1) == f) {
            return shape.get(0);
        }
        throw new ModelFormatException("layers[0].inputShape: " + shape + " is not a window of " + f + " feature"
                + (f == 1 ? "" : "s") + " per step");
    }

    /** Row (t, feature) of {@code from} goes to row (t, the feature's place in {@code to}); new rows are zeros. */
    private static double[][] widenKernel(double[][] kernel, Features from, Features to, int steps) {
        if (kernel == null || kernel.length != steps * from.count()) {
            return kernel; // the codec names the wrong shape when it builds the model
        }
        int columns = kernel.length == 0 || kernel[0] == null ? 0 : kernel[0].length;
        double[][] out = new double[steps * to.count()][columns];
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < from.count(); k++) {
                double[] row = kernel[t * from.count() + k];
                if (row != null) {
                    out[t * to.count() + to.indexOf(from.get(k))] = row.clone();
                }
            }
        }
        return out;
    }
}
