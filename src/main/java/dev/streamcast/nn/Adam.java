package dev.streamcast.nn;

import java.util.List;

/**
 * Adam (Kingma and Ba, 2015), bias-corrected as in the paper, with Keras's defaults.
 *
 * <pre>
 *   m = beta1 m + (1 - beta1) g
 *   v = beta2 v + (1 - beta2) g^2
 *   w -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * </pre>
 *
 * <p>Keras 3 ({@link Form#KERAS3}) takes epsilon outside the bias correction,
 * {@code w -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)}, which is the paper's step with
 * epsilon / sqrt(1 - beta2^t) in place of epsilon: the two differ where |g| is within a few hundred epsilons, by up to
 * a few 1e-6 on a weight in the first steps. The paper's form ({@link Form#PAPER}, TensorFlow.js's and Keras 2's) is
 * the default: the seed's golden fit is held to it.
 *
 * <p>The moments m and v are flushed to zero once they fall below the smallest normal double. A parameter whose
 * gradient stays exactly zero (a dead relu unit) has its moments decay geometrically into the subnormal range,
 * where they then stick (0.9 times the smallest subnormal rounds back to it), and every step's arithmetic on
 * subnormals takes a slow microcode path on x86: after a few thousand steps of online training that made a step
 * several times slower. A subnormal moment moves its weight by less than lr * 2.3e-308 / epsilon, about 1e-304,
 * so flushing changes no result that matters; TensorFlow's CPU kernels flush denormals to zero as well.
 *
 * <p>With {@code clipNorm > 0}, the gradients are first scaled so that their global L2 norm (over every
 * parameter) is at most clipNorm; this keeps one outlier sample from blowing up a model trained online.
 */
public final class Adam {

    public static final double DEFAULT_LEARNING_RATE = 0.001;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-7;

    /** 2^1022 = 1 / Double.MIN_NORMAL, exactly. */
    private static final double TWO_TO_1022 = 0x1p1022;

    private final List<Parameter> parameters;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double clipNorm;
    private final Form form;
    private final double[][] m;
    private final double[][] v;
    private long step;
    private double beta1Power = 1.0;
    private double beta2Power = 1.0;

    /** Where epsilon sits in the step; see the class comment. */
    public enum Form {
        /** epsilon added to the bias-corrected sqrt(v): the paper's, TensorFlow.js's, Keras 2's */
        PAPER,
        /** epsilon added to sqrt(v) before the bias correction: Keras 3's */
        KERAS3
    }

    public Adam(List<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon,
                double clipNorm) {
        this(parameters, learningRate, beta1, beta2, epsilon, clipNorm, Form.PAPER);
    }

    public Adam(List<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon,
                double clipNorm, Form form) {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)
                || !(clipNorm >= 0)) {
            throw new IllegalArgumentException("Adam needs learningRate > 0, 0 <= beta1, beta2 < 1, epsilon > 0 and "
                    + "clipNorm >= 0; got learningRate=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2
                    + ", epsilon=" + epsilon + ", clipNorm=" + clipNorm);
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.clipNorm = clipNorm;
        this.form = form;
        this.m = new double[parameters.size()][];
        this.v = new double[parameters.size()][];
        for (int k = 0; k < parameters.size(); k++) {
            m[k] = new double[parameters.get(k).size()];
            v[k] = new double[parameters.get(k).size()];
        }
    }

    /** Adam with Keras's defaults and no clipping. */
    public Adam(List<Parameter> parameters, double learningRate) {
        this(parameters, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, 0.0);
    }

    public long steps() {
        return step;
    }

    /** Applies one update from the gradients currently held by the parameters. */
    public void step() {
        step++;
        beta1Power *= beta1;
        beta2Power *= beta2;
        double scale = 1.0;
        if (clipNorm > 0) {
            double norm = Math.sqrt(squaredGradientNorm());
            if (norm > clipNorm) {
                scale = clipNorm / norm;
            }
        }
        // w -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon), with the per-step factors taken out
        // of the loop as stepSize = lr / (1 - beta1^t) and inverse2 = 1 / (1 - beta2^t): one division and one
        // square root per weight instead of three divisions and a root
        double stepSize = learningRate / (1.0 - beta1Power);
        double inverse2 = 1.0 / (1.0 - beta2Power);
        double keep1 = 1.0 - beta1;
        double keep2 = 1.0 - beta2;
        // Keras 3's step is the paper's with epsilon / sqrt(1 - beta2^t)
        double eps = form == Form.PAPER ? epsilon : epsilon / Math.sqrt(1.0 - beta2Power);
        for (int k = 0; k < parameters.size(); k++) {
            double[] w = parameters.get(k).value().data;
            double[] g = parameters.get(k).gradient().data;
            double[] mk = m[k];
            double[] vk = v[k];
            for (int e = 0; e < mk.length; e++) {
                double ge = g[e] * scale;
                double me = beta1 * mk[e] + keep1 * ge;
                double ve = beta2 * vk[e] + keep2 * ge * ge;
                // flush subnormal moments to 0 (see the class comment) without a branch, which would keep the JIT
                // from vectorising the loop: normal(x) = min(1, floor(|x| 2^1022)) is 1 for |x| >= 2^-1022 (also
                // when |x| 2^1022 overflows to infinity) and 0 below, so x * normal(x) is x or 0, exactly
                me *= Math.min(1.0, Math.floor(Math.abs(me) * TWO_TO_1022));
                ve *= Math.min(1.0, Math.floor(ve * TWO_TO_1022));
                mk[e] = me;
                vk[e] = ve;
                w[e] -= stepSize * me / (Math.sqrt(ve * inverse2) + eps);
            }
        }
    }

    /** m of element e of parameter k, for tests. */
    double firstMoment(int k, int e) {
        return m[k][e];
    }

    /** v of element e of parameter k, for tests. */
    double secondMoment(int k, int e) {
        return v[k][e];
    }

    private double squaredGradientNorm() {
        double sum = 0;
        for (Parameter p : parameters) {
            for (double g : p.gradient().data) {
                sum += g * g;
            }
        }
        return sum;
    }
}
