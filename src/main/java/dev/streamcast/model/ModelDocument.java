package dev.streamcast.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The one model format of Streamcast (files, command line, the models topic), as docs/design.md gives it. Without
 * weights it is an architecture ({@code config/model.json}); with them, a trained model.
 *
 * <p>Fields are boxed so that a missing one can be told from a zero and named in the error.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelDocument(
        String format,
        String modelId,
        Long version,
        String createdAt,
        Integer windowLength,
        ScalingSpec scaling,
        List<LayerSpec> layers,
        TrainingInfo training) {

    public static final String FORMAT = "streamcast-model/1";

    /**
     * How readings are scaled before the network sees them; see {@link Scaling}. {@code mean} and {@code std}
     * belong to kind standard, {@code clip} to kind sensor (absent: its default).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScalingSpec(String kind, Double mean, Double std, Double clip) {
    }

    /**
     * One layer. For the first (LSTM) layer the input shape is given as {@code inputShape [timesteps, features]}
     * or, equivalently (the seed's point), as {@code inputDim} + {@code inputLength}.
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
            Weights weights) {
    }

    /** Weights in Keras's layout: kernel [in, out] (LSTM: [features, 4*units]), recurrentKernel [units, 4*units]. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Weights(double[][] kernel, double[][] recurrentKernel, double[] bias) {
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
