package dev.streamcast.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a notebook did to the data outside the model (scikit-learn's scalers), kept with an imported model so that
 * it is fed what it was trained on: one transform per input feature, applied to that feature at every time step,
 * and one for the target, whose inverse turns the network's output back into the readings' units.
 * <pre>
 *   none:      x' = x
 *   minmax:    x' = (x - min) / (max - min) * (high - low) + low      range [low, high], default [0, 1]
 *   standard:  x' = (x - mean) / std
 * </pre>
 * Each is x' = (x - offset) / divisor + low, and its inverse x = (x' - low) * divisor + offset.
 *
 * @param features one transform per input feature, in the model's feature order
 * @param target   the target's transform (kind none when the notebook left it raw)
 */
public record ColumnScaling(List<Column> features, Column target) {

    /** One column's transform x' = (x - offset) / divisor + low, and the spec it came from. */
    public record Column(ModelDocument.ColumnSpec spec, double offset, double divisor, double low) {

        public double scale(double x) {
            return (x - offset) / divisor + low;
        }

        public double unscale(double scaled) {
            return (scaled - low) * divisor + offset;
        }
    }

    public static final Column NONE = new Column(new ModelDocument.ColumnSpec("none", null, null, null, null, null),
            0.0, 1.0, 0.0);

    /** Checks a {@code columns} scaling spec and builds its transforms; each error names the entry. */
    public static ColumnScaling fromSpec(ModelDocument.ScalingSpec spec) {
        if (spec.features() == null || spec.features().isEmpty()) {
            throw new ModelFormatException("scaling.features: missing; kind 'columns' needs one entry per input "
                    + "feature (kind none, minmax or standard)");
        }
        if (spec.mean() != null || spec.std() != null || spec.clip() != null) {
            throw new ModelFormatException("scaling: kind 'columns' takes features and target, not mean, std or clip");
        }
        List<Column> features = new ArrayList<>();
        for (int k = 0; k < spec.features().size(); k++) {
            features.add(column(spec.features().get(k), "scaling.features[" + k + "]"));
        }
        Column target = spec.target() == null ? NONE : column(spec.target(), "scaling.target");
        return new ColumnScaling(List.copyOf(features), target);
    }

    private static Column column(ModelDocument.ColumnSpec c, String at) {
        if (c == null || c.kind() == null) {
            throw new ModelFormatException(at + ".kind: missing; expected none, minmax or standard");
        }
        switch (c.kind()) {
            case "none":
                if (c.min() != null || c.max() != null || c.range() != null || c.mean() != null || c.std() != null) {
                    throw new ModelFormatException(at + ": kind 'none' takes no numbers");
                }
                return new Column(c, 0.0, 1.0, 0.0);
            case "minmax": {
                if (c.mean() != null || c.std() != null) {
                    throw new ModelFormatException(at + ": kind 'minmax' takes min, max and range, not mean or std");
                }
                if (c.min() == null || c.max() == null || !Double.isFinite(c.min()) || !Double.isFinite(c.max())
                        || !(c.max() > c.min())) {
                    throw new ModelFormatException(at + ": kind 'minmax' needs finite min < max, got min=" + c.min()
                            + ", max=" + c.max());
                }
                double low = 0.0;
                double high = 1.0;
                if (c.range() != null) {
                    if (c.range().size() != 2 || c.range().contains(null) || !Double.isFinite(c.range().get(0))
                            || !Double.isFinite(c.range().get(1)) || !(c.range().get(1) > c.range().get(0))) {
                        throw new ModelFormatException(at + ".range: expected [low, high] with low < high, got "
                                + c.range());
                    }
                    low = c.range().get(0);
                    high = c.range().get(1);
                }
                return new Column(c, c.min(), (c.max() - c.min()) / (high - low), low);
            }
            case "standard":
                if (c.min() != null || c.max() != null || c.range() != null) {
                    throw new ModelFormatException(at + ": kind 'standard' takes mean and std, not min, max or range");
                }
                if (c.mean() == null || c.std() == null || !Double.isFinite(c.mean()) || !Double.isFinite(c.std())
                        || !(c.std() > 0)) {
                    throw new ModelFormatException(at + ": kind 'standard' needs a finite mean and a std > 0, got mean="
                            + c.mean() + ", std=" + c.std());
                }
                return new Column(c, c.mean(), c.std(), 0.0);
            default:
                throw new ModelFormatException(at + ".kind: unknown '" + c.kind() + "'; expected none, minmax or "
                        + "standard");
        }
    }

    /** The spec this scaling reads back from. */
    public ModelDocument.ScalingSpec spec() {
        return new ModelDocument.ScalingSpec("columns", null, null, null,
                features.stream().map(Column::spec).toList(), target.spec());
    }

    /** Scales one input of T steps of F = features().size() values each, time-major, from {@code in} into out. */
    public void scaleInput(double[] in, double[] out) {
        int width = features.size();
        for (int k = 0; k < in.length; k++) {
            out[k] = features.get(k % width).scale(in[k]);
        }
    }
}
