package dev.streamcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Every test class belongs to exactly one tier (docs/developing.md, "Test tiers"), so the fast command
 * ({@code -Pfast}: unit and topology) leaves out only what it means to and a new test class cannot fall out of it
 * unseen.
 */
@Tag("unit")
class TestTiersTest {

    /** unit: no I/O beyond files; topology: TopologyTestDriver; broker: a real Kafka broker in the JVM (or a
     * container); faults: several JVM processes; browser: headless Chromium. */
    static final Set<String> TIERS = Set.of("unit", "topology", "broker", "faults", "browser");

    private static final String FAULTS_PACKAGE = "dev.streamcast.faults.";

    @Test
    void everyTestClassHasExactlyOneTierTag() throws Exception {
        List<Class<?>> testClasses = testClasses();
        assertTrue(testClasses.size() > 40, "found only " + testClasses.size() + " test classes: " + testClasses);
        List<String> wrong = new ArrayList<>();
        for (Class<?> c : testClasses) {
            List<String> tiers = Arrays.stream(c.getAnnotationsByType(Tag.class)).map(Tag::value)
                    .filter(TIERS::contains).toList();
            if (tiers.size() != 1) {
                wrong.add(c.getName() + " " + tiers);
            }
        }
        assertEquals(List.of(), wrong, "test classes without exactly one of the tier tags " + TIERS);
    }

    /**
     * A regression test lives beside the class it guards (in that class's package) and runs in the tier it needs;
     * {@code faults} holds the multi-process fault suite and the helpers it runs on.
     */
    @Test
    void regressionTestsLiveBesideTheClassTheyGuardNotInTheFaultSuite() throws Exception {
        List<String> inFaults = testClasses().stream().map(Class::getName)
                .filter(name -> name.startsWith(FAULTS_PACKAGE) && name.endsWith("RegressionTest")).toList();
        assertEquals(List.of(), inFaults, "regression tests in " + FAULTS_PACKAGE);
    }

    /** The classes compiled from src/test/java that hold a test method (their own or inherited). */
    private static List<Class<?>> testClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(TestTiersTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                name = name.substring(0, name.length() - ".class".length());
                if (name.contains("$")) {
                    continue;
                }
                Class<?> c = Class.forName(name, false, TestTiersTest.class.getClassLoader());
                if (!Modifier.isAbstract(c.getModifiers()) && hasTestMethod(c)) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    private static boolean hasTestMethod(Class<?> c) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class)
                        || m.isAnnotationPresent(TestFactory.class)) {
                    return true;
                }
            }
        }
        return false;
    }
}
