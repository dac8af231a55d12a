package dev.streamcast.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The runnable jar users start ({@code java -jar target/streamcast.jar}), when it was built from the classes under
 * test: every class of Streamcast's own in {@code target/classes} is in the jar, byte for byte, and the jar names a
 * main class. The fault suite starts its processes from it then, as users run the service; a jar left by an older
 * build (or the unshaded one of {@code -Pfast}) is not used. In CI ({@code CI=true}) the jar must be there:
 * {@code .ci/run} packages it before the tests.
 */
final class ShadedJar {

    static final Path JAR = Path.of("target", "streamcast.jar");
    static final Path CLASSES = Path.of("target", "classes");
    private static final String OWN_CLASSES = "dev/streamcast/";

    private static volatile Path current;
    private static volatile boolean checked;

    private ShadedJar() {
    }

    /** The jar to start processes from, or null (said once on stdout) to use the test class path. */
    static Path forProcesses() {
        if (!checked) {
            synchronized (ShadedJar.class) {
                if (!checked) {
                    String problem = problem(JAR, CLASSES);
                    if (problem != null && "true".equalsIgnoreCase(System.getenv("CI"))) {
                        throw new AssertionError("the fault suite runs the shaded jar in CI, but " + problem
                                + " (package it first: mvn -B -DskipTests package)");
                    }
                    if (problem != null) {
                        System.out.println("processes start from the test class path, not the shaded jar: " + problem
                                + " (mvn -B -DskipTests package first to test the jar)");
                    }
                    current = problem == null ? JAR.toAbsolutePath() : null;
                    checked = true;
                }
            }
        }
        return current;
    }

    /** Why {@code jar} is not the runnable jar of the classes under {@code classes}, or null when it is. */
    static String problem(Path jar, Path classes) {
        if (!Files.isRegularFile(jar)) {
            return jar + " does not exist";
        }
        try (JarFile file = new JarFile(jar.toFile());
             Stream<Path> walk = Files.walk(classes.resolve(OWN_CLASSES))) {
            if (file.getManifest() == null || file.getManifest().getMainAttributes().getValue("Main-Class") == null) {
                return jar + " names no main class (not the shaded jar)";
            }
            List<Path> own = walk.filter(p -> p.toString().endsWith(".class")).toList();
            if (own.isEmpty()) {
                return "no classes under " + classes;
            }
            for (Path c : own) {
                String name = classes.relativize(c).toString().replace(c.getFileSystem().getSeparator(), "/");
                ZipEntry entry = file.getEntry(name);
                if (entry == null) {
                    return jar + " lacks " + name + " (built from other sources)";
                }
                try (InputStream in = file.getInputStream(entry)) {
                    if (!Arrays.equals(in.readAllBytes(), Files.readAllBytes(c))) {
                        return jar + " holds another " + name + " than " + classes + " (built from other sources)";
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar + " or " + classes, e);
        }
    }
}
