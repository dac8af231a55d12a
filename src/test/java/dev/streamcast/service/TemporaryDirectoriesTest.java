package dev.streamcast.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TemporaryDirectoriesTest {

    @TempDir
    Path root;

    @Test
    void deletesADirectoryWithEverythingUnderItAndNothingBeside() throws Exception {
        Path dir = root.resolve("state");
        Files.createDirectories(dir.resolve("a/b/c"));
        Files.writeString(dir.resolve("a/b/c/file"), "x");
        Files.writeString(dir.resolve("top"), "y");
        Path beside = Files.writeString(root.resolve("beside"), "z");
        TemporaryDirectories.delete(dir, "a test's directory");
        assertFalse(Files.exists(dir));
        assertTrue(Files.exists(beside));
    }

    @Test
    void aDirectoryAlreadyGoneIsNoError() {
        TemporaryDirectories.delete(root.resolve("never-made"), "a test's directory");
        assertTrue(Files.exists(root));
    }
}
