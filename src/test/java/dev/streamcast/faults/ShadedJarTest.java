package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite starts its processes from the jar only when it is the runnable jar of the classes under test: a
 * jar of other sources, or one without a main class, is not taken for it.
 */
@Tag("unit")
class ShadedJarTest {

    @TempDir
    Path dir;

    private Path classes(byte[] content) throws IOException {
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes.resolve("dev/streamcast/cli"));
        Files.write(classes.resolve("dev/streamcast/cli/StreamcastCommand.class"), content);
        return classes;
    }

    private Path jar(String name, boolean mainClass, byte[] content) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.streamcast.cli.StreamcastCommand");
        }
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.putNextEntry(new JarEntry("dev/streamcast/cli/StreamcastCommand.class"));
            j.write(content);
            j.closeEntry();
        }
        return jar;
    }

    @Test
    void theJarOfTheClassesUnderTestIsUsed() throws IOException {
        Path classes = classes(new byte[] {1, 2, 3});

        assertNull(ShadedJar.problem(jar("same.jar", true, new byte[] {1, 2, 3}), classes));
    }

    @Test
    void aJarOfOtherSourcesOrWithoutAMainClassIsNot() throws IOException {
        Path classes = classes(new byte[] {1, 2, 3});

        String stale = ShadedJar.problem(jar("stale.jar", true, new byte[] {1, 2, 4}), classes);
        String plain = ShadedJar.problem(jar("plain.jar", false, new byte[] {1, 2, 3}), classes);
        String missing = ShadedJar.problem(dir.resolve("none.jar"), classes);

        assertTrue(stale != null && stale.contains("built from other sources"), stale);
        assertTrue(plain != null && plain.contains("no main class"), plain);
        assertTrue(missing != null && missing.contains("does not exist"), missing);
    }
}
