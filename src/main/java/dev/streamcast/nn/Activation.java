package dev.streamcast.nn;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.numbers.gamma.Erfc;

/**
 * The element-wise activations Keras offers for its recurrent and Dense layers, by their Keras names. Keras 3
 * changed hard_sigmoid's slope: the model document keeps {@code hard_sigmoid} for Keras 2's formula (the seed's) and
 * names Keras 3's {@code hard_sigmoid_keras3}.
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
    HARD_SIGMOID("hard_sigmoid"),
    /** y = clip(z / 6 + 0.5, 0, 1), Keras 3's hard_sigmoid (relu6(z + 3) / 6) */
    HARD_SIGMOID_KERAS3("hard_sigmoid_keras3"),
    /** y = z for z > 0, e^z - 1 otherwise (alpha 1) */
    ELU("elu"),
    /** y = SCALE * z for z > 0, SCALE * ALPHA * (e^z - 1) otherwise */
    SELU("selu"),
    /** y = ln(1 + e^z), computed as max(z, 0) + ln(1 + e^-|z|) so that it neither overflows nor loses small z */
    SOFTPLUS("softplus"),
    /** y = z / (1 + |z|) */
    SOFTSIGN("softsign"),
    /** y = z * sigmoid(z); Keras's silu is the same function */
    SWISH("swish"),
    /** y = z * Phi(z) = z / 2 * erfc(-z / sqrt 2), the exact form Keras 3 uses by default */
    GELU("gelu");

    // selu's constants, as Keras gives them
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;
    private static final double SQRT_HALF = 0.70710678118654752440;
    // 1 / sqrt(2 pi), the normal density's factor
    private static final double INV_SQRT_2PI = 0.39894228040143267794;

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
                return tanh(z);
            case SIGMOID:
                return sigmoid(z);
            case HARD_SIGMOID:
                return Math.max(0.0, Math.min(1.0, 0.2 * z + 0.5));
            case HARD_SIGMOID_KERAS3:
                return Math.max(0.0, Math.min(1.0, z / 6.0 + 0.5));
            case ELU:
                return z > 0 ? z : Math.expm1(z);
            case SELU:
                return z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * Math.expm1(z);
            case SOFTPLUS:
                return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
            case SOFTSIGN:
                return z / (1.0 + Math.abs(z));
            case SWISH:
                return z * sigmoid(z);
            case GELU:
                return 0.5 * z * Erfc.value(-z * SQRT_HALF);
            default:
                return z;
        }
    }

    /**
     * Applies the activation to {@code length} values of {@code src} from {@code srcOffset}, writing to
     * {@code dst} from {@code dstOffset}. The switch sits outside the loop so each loop stays simple. Gives exactly
     * {@link #apply(double)} of each value, however long the range.
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
                if (src != dst && srcOffset == dstOffset) {
                    tanh(src, dst, srcOffset, length);
                } else {
                    for (int k = 0; k < length; k++) {
                        dst[dstOffset + k] = tanh(src[srcOffset + k]);
                    }
                }
                break;
            case SIGMOID:
                if (src != dst && srcOffset == dstOffset) {
                    sigmoid(src, dst, srcOffset, length);
                } else {
                    // in place (the passes read src after writing dst), or ranges at different offsets (which
                    // the JIT would not vectorise anyway): one value at a time, the same numbers
                    for (int k = 0; k < length; k++) {
                        dst[dstOffset + k] = sigmoid(src[srcOffset + k]);
                    }
                }
                break;
            case HARD_SIGMOID:
                for (int k = 0; k < length; k++) {
                    dst[dstOffset + k] = Math.max(0.0, Math.min(1.0, 0.2 * src[srcOffset + k] + 0.5));
                }
                break;
            case LINEAR:
                System.arraycopy(src, srcOffset, dst, dstOffset, length);
                break;
            default:
                // the activations of imported models: one value at a time, exactly apply(z)
                for (int k = 0; k < length; k++) {
                    dst[dstOffset + k] = apply(src[srcOffset + k]);
                }
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
            case HARD_SIGMOID_KERAS3:
                return (z > -3.0 && z < 3.0) ? 1.0 / 6.0 : 0.0;
            case ELU:
                // e^z - 1 + 1 below 0
                return z > 0 ? 1.0 : y + 1.0;
            case SELU:
                // SCALE * ALPHA * e^z below 0, which is y + SCALE * ALPHA
                return z > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
            case SOFTPLUS:
                return sigmoid(z);
            case SOFTSIGN: {
                double d = 1.0 + Math.abs(z);
                return 1.0 / (d * d);
            }
            case SWISH: {
                // d/dz z s(z) = s + z s (1 - s)
                double s = sigmoid(z);
                return s + z * s * (1.0 - s);
            }
            case GELU:
                // d/dz z Phi(z) = Phi(z) + z phi(z)
                return 0.5 * Erfc.value(-z * SQRT_HALF) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
            default:
                return 1.0;
        }
    }

    // e^x = 2^n e^r with n = round(x / ln 2) and r = x - n ln 2, |r| <= ln(2) / 2. SHIFTER = 1.5 * 2^52: adding
    // it rounds x / ln 2 to an integer held in the low bits of the sum; ln 2 is split in two (Cody-Waite) so
    // that n ln 2 is subtracted without rounding error.
    private static final double LOG2_E = 1.4426950408889634;
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    private static final double SHIFTER = 0x1.8p52;
    // The range of x where 2^n is a normal number: there e^x = 2^n e^r below; outside it, Math.exp.
    private static final double MAX_EXP = 708.0;
    private static final double MIN_EXP = -MAX_EXP;

    /**
     * sigma(z) = 1 / (1 + e^-z). The scalar form of {@link #sigmoid(double[], int, double[], int, int)}, with the
     * same numbers.
     */
    static double sigmoid(double z) {
        double x = -z;
        if (x >= MIN_EXP && x <= MAX_EXP) {
            return 1.0 / (1.0 + expTaylor(reduced(x)) * twoToThe(x * LOG2_E + SHIFTER));
        }
        // |z| > 708 (sigma is 0 or 1 to double precision) or NaN; e^-z overflowing to infinity gives the limit 0
        return 1.0 / (1.0 + Math.exp(x));
    }

    /** r = x - n ln 2 with n = round(x / ln 2), |r| &lt;= ln(2) / 2. */
    private static double reduced(double x) {
        double n = (x * LOG2_E + SHIFTER) - SHIFTER;
        return x - n * LN2_HI - n * LN2_LO;
    }

    /**
     * e^r = sum_{k=0..13} r^k / k!, Horner's form. For |r| &lt;= ln(2) / 2 the truncation error is below 2e-16
     * relative, so e^x = 2^n e^r lands within an ulp or so of {@link Math#exp}.
     */
    private static double expTaylor(double r) {
        return 1.0 + expm1Taylor(r);
    }

    /** e^r - 1 = sum_{k=1..13} r^k / k!, Horner's form, accurate to the last bits also for r near 0. */
    private static double expm1Taylor(double r) {
        return r * (1.0 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
                + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880 + r * (1.0 / 3628800
                + r * (1.0 / 39916800 + r * (1.0 / 479001600 + r * (1.0 / 6227020800.0)))))))))))));
    }

    /** 2^n for the n held in the low bits of {@code shifted} = x / ln 2 + SHIFTER: n + 1023 is its exponent. */
    private static double twoToThe(double shifted) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(shifted) + 1023) << 52);
    }

    /**
     * sigma over the same range of two distinct arrays, in passes over dst. Math.exp is a call the JIT cannot
     * vectorise; this is plain arithmetic, and each pass is small enough for the JIT to unroll and vectorise
     * (one fused loop is too big for it and runs several times slower; so are loops whose arrays are indexed
     * from different offsets, hence the one offset):
     * <pre>
     *   x = -z;  n = round(x / ln 2)
     *   pass 1: dst = r = x - n ln 2
     *   pass 2: dst = e^r
     *   pass 3: dst = 1 / (1 + e^r 2^n)        (n recomputed from z), and m = max |z|
     *   only if m > 708 or NaN: where |x| > 708 or NaN, dst = 1 / (1 + Math.exp(x))
     * </pre>
     * Each value goes through exactly the operations of {@link #sigmoid(double)}, so the results are identical.
     */
    private static void sigmoid(double[] src, double[] dst, int offset, int length) {
        int end = offset + length;
        for (int k = offset; k < end; k++) {
            dst[k] = reduced(-src[k]);
        }
        for (int k = offset; k < end; k++) {
            dst[k] = expTaylor(dst[k]);
        }
        double largest = 0;
        for (int k = offset; k < end; k++) {
            double z = src[k];
            dst[k] = 1.0 / (1.0 + dst[k] * twoToThe(-z * LOG2_E + SHIFTER));
            largest = Math.max(largest, Math.abs(z));
        }
        if (!(largest <= MAX_EXP)) {
            for (int k = offset; k < end; k++) {
                double x = -src[k];
                if (!(x >= MIN_EXP && x <= MAX_EXP)) {
                    dst[k] = 1.0 / (1.0 + Math.exp(x));
                }
            }
        }
    }

    // tanh(z) = sign(z) (1 - e^y) / (1 + e^y) with y = -2|z|, computed as -(e^y - 1) / (2 + (e^y - 1)) so that
    // it keeps its relative accuracy near 0; e^y - 1 = 2^n (e^r - 1) + (2^n - 1) has no cancellation either.
    // Past |z| = 354 (y < -708, where tanh is +-1 to double precision), Math.tanh.
    private static final double MAX_TANH = MAX_EXP / 2;

    /**
     * tanh(z), within a few ulps of {@link Math#tanh}. The scalar form of
     * {@link #tanh(double[], double[], int, int)}, with the same numbers.
     */
    static double tanh(double z) {
        double a = Math.abs(z);
        if (a <= MAX_TANH) {
            double y = -2.0 * a;
            double s = twoToThe(y * LOG2_E + SHIFTER);
            double em1 = s * expm1Taylor(reduced(y)) + (s - 1.0);
            return Math.copySign(-em1 / (2.0 + em1), z);
        }
        return Math.tanh(z);  // |z| > 354 or NaN
    }

    /**
     * tanh over the same range of two distinct arrays, in passes over dst like
     * {@link #sigmoid(double[], double[], int, int)}:
     * <pre>
     *   y = -2|z|;  n = round(y / ln 2)
     *   pass 1: dst = r = y - n ln 2
     *   pass 2: dst = e^r - 1
     *   pass 3: e^y - 1 = 2^n (e^r - 1) + (2^n - 1)  (n recomputed from z);
     *           dst = sign(z) * -(e^y - 1) / (2 + (e^y - 1)), and m = max |z|
     *   only if m > 354 or NaN: where |z| > 354 or NaN, dst = Math.tanh(z)
     * </pre>
     */
    private static void tanh(double[] src, double[] dst, int offset, int length) {
        int end = offset + length;
        for (int k = offset; k < end; k++) {
            dst[k] = reduced(-2.0 * Math.abs(src[k]));
        }
        for (int k = offset; k < end; k++) {
            dst[k] = expm1Taylor(dst[k]);
        }
        double largest = 0;
        for (int k = offset; k < end; k++) {
            double z = src[k];
            double s = twoToThe(-2.0 * Math.abs(z) * LOG2_E + SHIFTER);
            double em1 = s * dst[k] + (s - 1.0);
            dst[k] = Math.copySign(-em1 / (2.0 + em1), z);
            largest = Math.max(largest, Math.abs(z));
        }
        if (!(largest <= MAX_TANH)) {
            for (int k = offset; k < end; k++) {
                double z = src[k];
                if (!(Math.abs(z) <= MAX_TANH)) {
                    dst[k] = Math.tanh(z);
                }
            }
        }
    }

    @Override
    public String toString() {
        return kerasName.toLowerCase(Locale.ROOT);
    }
}
