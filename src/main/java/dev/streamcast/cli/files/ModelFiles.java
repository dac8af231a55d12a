package dev.streamcast.cli.files;

import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Model files for the command line: reading with one-line errors, writing atomically. */
public final class ModelFiles {

    private ModelFiles() {
    }

    public static ModelDocument readDocument(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserInputException(file + ": no such file");
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read: " + e.getMessage());
        }
        try {
            return ModelCodec.parse(bytes);
        } catch (ModelFormatException e) {
            throw new UserInputException(file + ": " + e.getMessage(), e);
        }
    }

    public static Forecaster toForecaster(Path file, ModelDocument doc, long seed) {
        try {
            return ModelCodec.toForecaster(doc, seed);
        } catch (ModelFormatException e) {
            throw new UserInputException(file + ": " + e.getMessage(), e);
        }
    }

    /** A trained model; an architecture without weights is refused (its forecasts would be noise). */
    public static Forecaster readTrained(Path file) {
        ModelDocument doc = readDocument(file);
        if (!ModelCodec.hasWeights(doc)) {
            throw new UserInputException(file + ": an architecture without weights; train it first with "
                    + "'streamcast train --model " + file + " --data FILE.csv'");
        }
        return toForecaster(file, doc, 0);
    }

    /**
     * Writes through a temporary file in the same directory and an atomic rename, so the target is either the
     * old file or the whole new one, never half written.
     */
    public static void writeAtomically(Path target, byte[] content) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserInputException(target + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    throw new UserInputException(tmp + ": cannot remove the temporary file: " + e.getMessage(), e);
                }
            }
        }
    }
}
