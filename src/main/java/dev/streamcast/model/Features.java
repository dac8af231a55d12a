package dev.streamcast.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What each step of a window carries to the network ({@code model.features}, the model document's {@code features}):
 * an ordered set of {@link Feature}s, always with {@code value}. {@link #VALUE} alone is the seed's network, one
 * number per step.
 *
 * <p>A window of T steps is a row of T x F numbers, step-major (step t's features at t F .. t F + F - 1), as Keras
 * lays out an input of shape (T, F). The stream keeps rows <em>raw</em> ({@link #writeStep}): the adjusted reading,
 * the season's offset in the readings' units, the phases; a model scales them ({@link #scaleRow}): the value by the
 * model's {@link Scaling}, the season's offset by the same unit as the value, the phases as they are.
 *
 * <p>Immutable; {@link #writeStep} and {@link #scaleRow} allocate nothing.
 */
public final class Features {

    /** One number a step can carry. */
    public enum Feature {
        /** The reading with the season taken out ({@link SensorSeason}), scaled as the model's scaling says. */
        VALUE("value"),
        /** The season's offset S at the step's time (0 without a season), divided by the value's unit. */
        SEASON("season"),
        /** sin(2 pi d), d the fraction of the UTC day elapsed at the step's timestamp. */
        DAY_SIN("day.sin"),
        /** cos(2 pi d). */
        DAY_COS("day.cos"),
        /** sin(2 pi w), w the fraction of the UTC week (from Monday 00:00) elapsed at the step's timestamp. */
        WEEK_SIN("week.sin"),
        /** cos(2 pi w). */
        WEEK_COS("week.cos");

        private final String label;

        Feature(String label) {
            this.label = label;
        }

        /** The name in {@code model.features} and in the model document. */
        public String label() {
            return label;
        }

        /** The feature named {@code name}, or null. */
        static Feature named(String name) {
            for (Feature f : values()) {
                if (f.label.equals(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** The seed's input: the value alone. */
    public static final Features VALUE = new Features(new Feature[] {Feature.VALUE});

    private static final double TWO_PI = 2 * Math.PI;
    private static final long DAY_MS = SensorSeason.DAY_MS;
    private static final long WEEK_MS = SensorSeason.WEEK_MS;
    /** 1970-01-01 was a Thursday: the first Monday 00:00 UTC is four days later. */
    private static final long MONDAY_MS = 4 * DAY_MS;

    private final Feature[] order;
    private final int valueIndex;

    private Features(Feature[] order) {
        this.order = order;
        int v = -1;
        for (int k = 0; k < order.length; k++) {
            if (order[k] == Feature.VALUE) {
                v = k;
            }
        }
        this.valueIndex = v;
    }

    /** Every feature's name, for error messages and the docs. */
    public static String known() {
        StringBuilder sb = new StringBuilder();
        for (Feature f : Feature.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f.label);
        }
        return sb.toString();
    }

    /**
     * The features a comma-separated list names, in its order (blanks around names are ignored).
     *
     * @throws IllegalArgumentException naming the problem: an unknown name, a duplicate, no {@code value}, none
     */
    public static Features parse(String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("expected a comma-separated list of " + known() + " with value");
        }
        return of(Arrays.asList(list.split(",", -1)));
    }

    /** The features {@code names} lists, in order; checked as {@link #parse} checks. */
    public static Features of(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("expected at least value");
        }
        Feature[] order = new Feature[names.size()];
        for (int k = 0; k < order.length; k++) {
            String name = names.get(k) == null ? "" : names.get(k).trim().toLowerCase(Locale.ROOT);
            Feature f = Feature.named(name);
            if (f == null) {
                throw new IllegalArgumentException("unknown feature '" + names.get(k) + "'; expected " + known());
            }
            for (int j = 0; j < k; j++) {
                if (order[j] == f) {
                    throw new IllegalArgumentException("feature '" + name + "' is listed twice");
                }
            }
            order[k] = f;
        }
        Features features = new Features(order);
        if (features.valueIndex < 0) {
            throw new IllegalArgumentException("the features must include value (the reading itself), got "
                    + features);
        }
        return order.length == 1 ? VALUE : features;
    }

    /** F: how many numbers each step carries. */
    public int count() {
        return order.length;
    }

    /** Where the value sits within a step. */
    public int valueIndex() {
        return valueIndex;
    }

    /** Whether this is {@link #VALUE}: the seed's one number per step. */
    public boolean isValueOnly() {
        return order.length == 1;
    }

    public Feature get(int k) {
        return order[k];
    }

    /** The position of {@code feature}, or -1. */
    public int indexOf(Feature feature) {
        for (int k = 0; k < order.length; k++) {
            if (order[k] == feature) {
                return k;
            }
        }
        return -1;
    }

    /** Whether every feature of this set is also in {@code other} (in any order). */
    public boolean isSubsetOf(Features other) {
        for (Feature f : order) {
            if (other.indexOf(f) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The names, in order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(order.length);
        for (Feature f : order) {
            names.add(f.label);
        }
        return names;
    }

    /**
     * A number that identifies the set and its order (4 bits per feature, the first lowest): what the sample batches
     * and the replay buffer record, so that samples of another set are never mixed in.
     */
    public int code() {
        int code = 0;
        for (int k = order.length - 1; k >= 0; k--) {
            code = (code << 4) | (order[k].ordinal() + 1);
        }
        return code;
    }

    /** The set a {@link #code()} stands for, or null when it stands for none. */
    public static Features fromCode(int code) {
        List<String> names = new ArrayList<>();
        int rest = code;
        while (rest != 0) {
            int id = (rest & 0xF) - 1;
            if (id < 0 || id >= Feature.values().length || names.size() >= Feature.values().length) {
                return null;
            }
            names.add(Feature.values()[id].label);
            rest >>>= 4;
        }
        try {
            return of(names);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Writes one step's raw features to {@code row[at .. at + F)}.
     *
     * @param value        the reading with the season taken out
     * @param seasonOffset the season's offset S at the step's time (0 without a season)
     * @param timestamp    the step's time, epoch ms
     */
    public void writeStep(double value, double seasonOffset, long timestamp, double[] row, int at) {
        for (int k = 0; k < order.length; k++) {
            row[at + k] = raw(order[k], value, seasonOffset, timestamp);
        }
    }

    /**
     * One raw feature:
     * <pre>
     *   d = ((t mod day) / day),   w = ((t - Monday 1970-01-05) mod week) / week      (UTC)
     *   day.sin = sin(2 pi d), day.cos = cos(2 pi d), week.sin = sin(2 pi w), week.cos = cos(2 pi w)
     * </pre>
     */
    private static double raw(Feature f, double value, double seasonOffset, long timestamp) {
        switch (f) {
            case VALUE:
                return value;
            case SEASON:
                return seasonOffset;
            case DAY_SIN:
                return Math.sin(TWO_PI * Math.floorMod(timestamp, DAY_MS) / DAY_MS);
            case DAY_COS:
                return Math.cos(TWO_PI * Math.floorMod(timestamp, DAY_MS) / DAY_MS);
            case WEEK_SIN:
                return Math.sin(TWO_PI * Math.floorMod(timestamp - MONDAY_MS, WEEK_MS) / WEEK_MS);
            default:
                return Math.cos(TWO_PI * Math.floorMod(timestamp - MONDAY_MS, WEEK_MS) / WEEK_MS);
        }
    }

    /** Copies the value of each of a row's {@code windowLength} steps to {@code window[0 .. windowLength)}. */
    public void valueWindow(double[] row, int offset, int windowLength, double[] window) {
        int f = order.length;
        for (int t = 0; t < windowLength; t++) {
            window[t] = row[offset + t * f + valueIndex];
        }
    }

    /** The value of a row's last step. */
    public double lastValue(double[] row, int offset, int windowLength) {
        return row[offset + (windowLength - 1) * order.length + valueIndex];
    }

    /**
     * Scales a raw row of {@code windowLength} steps into {@code dst} from {@code dstOffset}, for a model with
     * {@code scaling}; {@code window} holds the row's values ({@link #valueWindow}). The value goes through the
     * scaling; the season's offset S is divided by the unit u the scaling gives one step of the value (the sensor
     * kind's {@code max(stepRms, 1e-6 max(1, |c|))}, the window kind's own step RMS, the standard kind's std, 1 for
     * none) and clipped as the sensor kind clips; the phases stay as they are. Kind columns (an imported model's)
     * scales feature k by its column k.
     */
    public void scaleRow(Scaling scaling, double[] row, int offset, int windowLength, double level, double stepRms,
                         double[] window, double[] dst, int dstOffset) {
        int f = order.length;
        if (scaling instanceof Scaling.Columns columns) {
            for (int t = 0; t < windowLength; t++) {
                for (int k = 0; k < f; k++) {
                    dst[dstOffset + t * f + k] = columns.columns().features().get(k).scale(row[offset + t * f + k]);
                }
            }
            return;
        }
        // The values first, into the value slots' places (a scratch copy: dst may be scaled in place of window).
        scaling.scaleWindow(window, 0, windowLength, level, stepRms, dst, dstOffset);
        for (int t = windowLength - 1; t >= 0; t--) {
            dst[dstOffset + t * f + valueIndex] = dst[dstOffset + t];
        }
        double unit = unit(scaling, window, windowLength, stepRms);
        double clip = scaling instanceof Scaling.Sensor sensor ? sensor.clip() : Double.POSITIVE_INFINITY;
        for (int t = 0; t < windowLength; t++) {
            int at = offset + t * f;
            for (int k = 0; k < f; k++) {
                Feature feature = order[k];
                if (feature == Feature.VALUE) {
                    continue;
                }
                double v = row[at + k];
                if (feature == Feature.SEASON) {
                    v = Math.max(-clip, Math.min(clip, v / unit));
                }
                dst[dstOffset + t * f + k] = v;
            }
        }
    }

    /** The size of one unit of the value in the network's input, in the readings' units (see {@link #scaleRow}). */
    static double unit(Scaling scaling, double[] window, int windowLength, double stepRms) {
        if (scaling instanceof Scaling.Sensor) {
            return Scaling.errorUnit(window, 0, windowLength, stepRms);
        }
        if (scaling instanceof Scaling.Window) {
            return Scaling.Window.step(window, 0, windowLength);
        }
        if (scaling instanceof Scaling.Standard standard) {
            return standard.std();
        }
        return 1.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Features other && Arrays.equals(order, other.order);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(order);
    }

    /** The names, comma-separated, as {@code model.features} takes them. */
    @Override
    public String toString() {
        return String.join(",", names());
    }
}
