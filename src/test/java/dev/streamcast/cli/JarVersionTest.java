package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runnable jar says which version it is, in its manifest ({@code Implementation-Version}) and on
 * {@code java -jar target/streamcast.jar --version}, and both are the version in pom.xml. The jar is the one the
 * last {@code package} built ({@code -Dstreamcast.jar=JAR} names another); one built from another version of the
 * sources than {@code target/classes} is skipped, said so, outside CI and fails in CI ({@code CI=true}), where
 * {@code .ci/run} packages it before the tests. {@link CommandLineTest} checks the version option on the classes.
 */
@Tag("broker")
class JarVersionTest {

    private static final String VERSION_FILE = "dev/streamcast/cli/version.properties";

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theJarsManifestAndVersionOptionNameThePomsVersion() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty(ServiceProcess.JAR_PROPERTY, "target/streamcast.jar"));
        String problem = problem(jar, Path.of("target", "classes"));
        if (problem != null && "true".equals(System.getenv("CI"))) {
            fail("CI checks the runnable jar's version, but " + problem);
        }
        assumeTrue(problem == null, () -> problem + ": package first (mvn -B -DskipTests package) to test the jar");
        String version = pomVersion();

        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            assertEquals(version, main.getValue(Attributes.Name.IMPLEMENTATION_VERSION), "the manifest's version");
            assertEquals("Streamcast", main.getValue(Attributes.Name.IMPLEMENTATION_TITLE), "the manifest's title");
        }

        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--version").redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "java -jar --version returns");
        assertEquals(0, process.exitValue(), printed);
        assertEquals("streamcast " + version, printed.strip());
    }

    /** The project's version as pom.xml states it. */
    private static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>streamcast</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the project's version in pom.xml");
        return m.group(1);
    }

    /**
     * Why {@code jar} is not the runnable jar of the sources under test, or null when it is: it must exist, name a
     * main class (the shaded jar, not {@code -Pfast}'s plain one) and hold the version file Maven filled in for
     * {@code classes}, byte for byte.
     */
    private static String problem(Path jar, Path classes) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return jar + " does not exist";
        }
        Path built = classes.resolve(VERSION_FILE);
        if (!Files.isRegularFile(built)) {
            return built + " does not exist";
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getManifest() == null
                    || file.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS) == null) {
                return jar + " names no main class (not the shaded jar)";
            }
            ZipEntry entry = file.getEntry(VERSION_FILE);
            if (entry == null) {
                return jar + " lacks " + VERSION_FILE;
            }
            try (InputStream in = file.getInputStream(entry)) {
                if (!Arrays.equals(in.readAllBytes(), Files.readAllBytes(built))) {
                    return jar + " was built for another version than " + classes;
                }
            }
        }
        return null;
    }
}
