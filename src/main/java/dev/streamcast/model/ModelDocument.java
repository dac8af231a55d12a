package dev.streamcast.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The one model format of Streamcast (files, command line, the models topic), as docs/design.md gives it. Without
 * weights it is an architecture ({@code config/model.json}); with them, a trained model.
 *
 * <p>Fields are boxed so that a missing one can be told from a zero and named in the error. {@code features} names
 * what each step of the window carries, in order ({@link Features}; the first layer's input is then [windowLength,
 * their count]); absent, the value alone (every document before it), and a value-only model leaves it out so that
 * an older version still reads its document.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelDocument(
        String format,
        String modelId,
        Long version,
        String createdAt,
        Integer windowLength,
        List<String> features,
        ScalingSpec scaling,
        List<LayerSpec> layers,
        TrainingInfo training,
        ImportInfo imported) {

    public static final String FORMAT = "streamcast-model/1";

    public ModelDocument(String format, String modelId, Long version, String createdAt, Integer windowLength,
                         ScalingSpec scaling, List<LayerSpec> layers, TrainingInfo training) {
        this(format, modelId, version, createdAt, windowLength, null, scaling, layers, training, null);
    }

    /** A document of a model fed the value alone (no {@code features}). */
    public ModelDocument(String format, String modelId, Long version, String createdAt, Integer windowLength,
                         ScalingSpec scaling, List<LayerSpec> layers, TrainingInfo training, ImportInfo imported) {
        this(format, modelId, version, createdAt, windowLength, null, scaling, layers, training, imported);
    }

    /** The same document with {@code newFeatures} (null: the value alone). */
    public ModelDocument withFeatures(List<String> newFeatures) {
        return new ModelDocument(format, modelId, version, createdAt, windowLength, newFeatures, scaling, layers,
                training, imported);
    }

    /**
     * Where an imported model came from ({@code streamcast import}): {@code from} {@code "keras"}, the Keras version
     * that wrote the file and the file's name.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImportInfo(String from, String kerasVersion, String file) {
    }

    /**
     * How readings are scaled before the network sees them; see {@link Scaling}. {@code mean} and {@code std}
     * belong to kind standard, {@code clip} to kind sensor (absent: its default), {@code features} and
     * {@code target} to kind columns (an imported model's scaling, one entry per input feature; {@link ColumnScaling}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScalingSpec(String kind, Double mean, Double std, Double clip, List<ColumnSpec> features,
                              ColumnSpec target) {

        public ScalingSpec(String kind, Double mean, Double std, Double clip) {
            this(kind, mean, std, clip, null, null);
        }
    }

    /**
     * One column's scaling, as a notebook fitted it: kind {@code none}, {@code minmax} (scikit-learn's MinMaxScaler:
     * {@code min}, {@code max} and optionally {@code range} [low, high], default [0, 1]) or {@code standard}
     * (StandardScaler: {@code mean}, {@code std}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ColumnSpec(String kind, Double min, Double max, List<Double> range, Double mean, Double std) {
    }

    /**
     * One layer: type {@code lstm}, {@code gru}, {@code simple_rnn}, {@code dense} or {@code dropout}. The first
     * layer carries the input shape: {@code inputShape [timesteps, features]} (or, equivalently, the seed's
     * {@code inputDim} + {@code inputLength}) for a recurrent layer, {@code inputShape [features]} for a dense one.
     * {@code returnSequences} (recurrent layers, default false) hands every step's state to the next recurrent
     * layer; {@code resetAfter} (gru, default true as in Keras 3) says which GRU variant; {@code rate} is a
     * dropout's (it is the identity when forecasting).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LayerSpec(
            String type,
            Integer units,
            String activation,
            String recurrentActivation,
            List<Integer> inputShape,
            Integer inputDim,
            Integer inputLength,
            Boolean returnSequences,
            Boolean resetAfter,
            Double rate,
            Weights weights) {

        public LayerSpec(String type, Integer units, String activation, String recurrentActivation,
                         List<Integer> inputShape, Integer inputDim, Integer inputLength, Weights weights) {
            this(type, units, activation, recurrentActivation, inputShape, inputDim, inputLength, null, null, null,
                    weights);
        }
    }

    /**
     * Weights in Keras's layout: kernel [in, out] (LSTM: [features, 4*units], GRU [features, 3*units]),
     * recurrentKernel [units, 4*units] (GRU [units, 3*units]), bias [out]; a GRU with resetAfter has a second bias,
     * {@code recurrentBias} [3*units] (row 1 of Keras's [2, 3*units] bias).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Weights(double[][] kernel, double[][] recurrentKernel, double[] bias, double[] recurrentBias) {

        public Weights(double[][] kernel, double[][] recurrentKernel, double[] bias) {
            this(kernel, recurrentKernel, bias, null);
        }
    }

    /**
     * How this version came to be: the retraining decision, kept with the model. From the stream's retraining the
     * three RMSEs are the gate's, in typical steps of each held-out sample's sensor ({@link ChallengerTrainer});
     * from {@code streamcast train}, validationRmse is the square root of the best validation loss.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrainingInfo(
            Long samples,
            Integer epochs,
            Double validationRmse,
            Double championRmse,
            Double naiveRmse,
            Long parentVersion,
            String decision,
            Long durationMs) {
    }
}
