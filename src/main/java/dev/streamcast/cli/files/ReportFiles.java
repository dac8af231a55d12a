package dev.streamcast.cli.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a command's report as JSON ({@code --json FILE}). */
public final class ReportFiles {

    private ReportFiles() {
    }

    /**
     * Checks before a run of minutes, not after it, that {@code --json FILE} can be written.
     *
     * @throws UserInputException naming the file and what is wrong
     */
    public static void checkWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserInputException("--json " + file + ": the directory " + dir + " does not exist");
        }
        if (Files.isDirectory(file) || (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(dir))) {
            throw new UserInputException("--json " + file + ": cannot write there");
        }
    }

    /** Written to a file beside the target, then moved over it: never half a file. */
    public static void writeJson(Path file, Object report) {
        Path target = file.toAbsolutePath();
        try {
            Path temp = Files.createTempFile(target.getParent(), ".report-", ".json");
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), report);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserInputException("--json: " + file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
