package dev.streamcast.nn;

import java.util.Arrays;
import java.util.Locale;

/**
 * The element-wise activations Keras offers for the LSTM and Dense layers, by their Keras names.
 *
 * <p>Each activation maps a pre-activation {@code z} to {@code y = act(z)}; {@link #derivative} gives
 * {@code d y / d z} from both, so each layer can use whichever form is exact and cheap.
 */
public enum Activation {
    /** y = z */
    LINEAR("linear"),
    /** y = max(0, z) */
    RELU("relu"),
    /** y = tanh(z) */
    TANH("tanh"),
    /** y = 1 / (1 + e^-z) */
    SIGMOID("sigmoid"),
    /** y = clip(0.2 z + 0.5, 0, 1), as in Keras 2.3 (the version the seed used) */
    HARD_SIGMOID("hard_sigmoid");

    private final String kerasName;

    Activation(String kerasName) {
        this.kerasName = kerasName;
    }

    /** The name Keras and the model document use, e.g. {@code "hard_sigmoid"}. */
    public String kerasName() {
        return kerasName;
    }

    /** Looks an activation up by its Keras name; the error lists the names that exist. */
    public static Activation fromKerasName(String name) {
        for (Activation a : values()) {
            if (a.kerasName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "', expected one of "
                + Arrays.toString(Arrays.stream(values()).map(Activation::kerasName).toArray()));
    }

    public double apply(double z) {
        switch (this) {
            case RELU:
                return z > 0 ? z : 0.0;
            case TANH:
                return Math.tanh(z);
            case SIGMOID:
                return sigmoid(z);
            case HARD_SIGMOID:
                return Math.max(0.0, Math.min(1.0, 0.2 * z + 0.5));
            default:
                return z;
        }
    }

    /**
     * Applies the activation to {@code length} values of {@code src} from {@code srcOffset}, writing to
     * {@code dst} from {@code dstOffset}. The switch sits outside the loop so each loop stays simple.
     */
    public void apply(double[] src, int srcOffset, double[] dst, int dstOffset, int length) {
        switch (this) {
            case RELU:
                for (int k = 0; k < length; k++) {
                    double z = src[srcOffset + k];
                    dst[dstOffset + k] = z > 0 ? z : 0.0;
                }
                break;
            case TANH:
                for (int k = 0; k < length; k++) {
                    dst[dstOffset + k] = Math.tanh(src[srcOffset + k]);
                }
                break;
            case SIGMOID:
                for (int k = 0; k < length; k++) {
                    dst[dstOffset + k] = sigmoid(src[srcOffset + k]);
                }
                break;
            case HARD_SIGMOID:
                for (int k = 0; k < length; k++) {
                    dst[dstOffset + k] = Math.max(0.0, Math.min(1.0, 0.2 * src[srcOffset + k] + 0.5));
                }
                break;
            default:
                System.arraycopy(src, srcOffset, dst, dstOffset, length);
        }
    }

    /** d act(z) / dz, given the pre-activation z and the output y = act(z). */
    public double derivative(double z, double y) {
        switch (this) {
            case RELU:
                return z > 0 ? 1.0 : 0.0;
            case TANH:
                return 1.0 - y * y;
            case SIGMOID:
                return y * (1.0 - y);
            case HARD_SIGMOID:
                return (z > -2.5 && z < 2.5) ? 0.2 : 0.0;
            default:
                return 1.0;
        }
    }

    /** sigma(z) = 1 / (1 + e^-z); e^-z overflowing to infinity gives the right limit, 0. */
    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    @Override
    public String toString() {
        return kerasName.toLowerCase(Locale.ROOT);
    }
}
