package dev.streamcast.service;

import dev.streamcast.config.ConfigException;
import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * model.initial: a trained model file that becomes the first version of model.id when the models topic has none
 * (docs/configuration.md). The one rule the service and the backtest both follow.
 */
public final class InitialModel {

    private static final String KEY = "model.initial";

    private InitialModel() {
    }

    /**
     * The model model.initial names: readable, with weights, for window.length.
     *
     * @return null when model.initial is not set
     * @throws ConfigException for a file that is missing, unreadable, not a model, untrained, of another window or
     *                         of other features
     */
    public static Forecaster read(StreamcastConfig config, ForecastSettings settings) {
        if (!config.isSet(KEY)) {
            return null;
        }
        Path file = Path.of(config.get(KEY));
        Forecaster initial;
        try {
            ModelDocument doc = ModelCodec.parse(Files.readAllBytes(file));
            if (!ModelCodec.hasWeights(doc)) {
                throw new ConfigException(KEY + ": " + file + " has no weights; train it with 'streamcast train'");
            }
            initial = ModelCodec.toForecaster(doc, 0);
        } catch (NoSuchFileException e) {
            throw new ConfigException(KEY + ": " + file + ": no such file", e);
        } catch (IOException e) {
            throw new ConfigException(KEY + ": " + file + ": cannot read: " + e.getMessage(), e);
        } catch (ModelFormatException e) {
            throw new ConfigException(KEY + ": " + file + ": " + e.getMessage(), e);
        }
        if (initial.windowLength() != settings.windowLength()) {
            throw new ConfigException(KEY + ": " + file + " has window length " + initial.windowLength()
                    + ", window.length is " + settings.windowLength());
        }
        if (!initial.features().equals(settings.features())) {
            throw new ConfigException(KEY + ": " + file + " takes the features " + initial.features()
                    + " at each step, model.features is " + settings.features());
        }
        return initial;
    }

    /**
     * The first version of model.id made of {@code initial}: the file's own version (at least 1) and creation time,
     * or {@code now} when the file has none.
     */
    public static Forecaster firstVersion(Forecaster initial, ForecastSettings settings, String now) {
        return initial.withIdentity(settings.modelId(), Math.max(1, initial.version()),
                initial.createdAt() != null ? initial.createdAt() : now, initial.training());
    }
}
