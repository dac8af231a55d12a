package dev.streamcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile.dockerignore lets into the build context exactly what docker/Dockerfile copies from it, so a
 * local build's target/ and data/ never travel to the builder, and a COPY added to the Dockerfile without its
 * line in the ignore file fails here rather than in someone's docker build.
 */
@Tag("unit")
class DockerBuildContextTest {

    private static final Path DOCKERFILE = Path.of("docker/Dockerfile");
    /** BuildKit's Dockerfile-specific ignore file: the context is the repository root, not docker/. */
    private static final Path IGNORE = Path.of("docker/Dockerfile.dockerignore");

    /** The sources of the Dockerfile's COPY lines that read the build context (not another stage). */
    private static List<String> copiedFromContext() throws IOException {
        Pattern copy = Pattern.compile("^COPY\\s+(?!--from)(\\S+)\\s+\\S+\\s*$");
        return Files.readAllLines(DOCKERFILE).stream().map(copy::matcher).filter(Matcher::matches)
                .map(m -> m.group(1)).sorted().toList();
    }

    @Test
    void theBuildContextIsAnAllowListOfWhatTheDockerfileCopies() throws IOException {
        List<String> rules = Files.readAllLines(IGNORE).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("*", rules.get(0), "everything is left out first, then what the build needs is let in");
        List<String> allowed = rules.subList(1, rules.size()).stream().peek(r -> assertTrue(r.startsWith("!"), r))
                .map(r -> r.substring(1)).sorted().toList();
        assertEquals(List.of("config", "pom.xml", "src"), copiedFromContext(), "the Dockerfile's COPY lines");
        assertEquals(copiedFromContext(), allowed, IGNORE + " lets in exactly what " + DOCKERFILE + " copies");
        assertTrue(allowed.stream().noneMatch(a -> a.startsWith("target") || a.startsWith("data")), allowed::toString);
    }
}
