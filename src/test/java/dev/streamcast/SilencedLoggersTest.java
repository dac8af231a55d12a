package dev.streamcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The loggers logback.xml silences are the ones docs/developing.md lists, at the same level: a logger silenced
 * without a documented reason, or a documented one that is no longer silenced, fails here. And nothing is hidden
 * by a filter or a raised root level, which would hide warnings by their text or wholesale.
 */
@Tag("unit")
class SilencedLoggersTest {

    private static final Path LOGBACK = Path.of("src/main/resources/logback.xml");
    private static final Path DOC = Path.of("docs/developing.md");
    /** A silencing entry: a logger below WARN. The ones at WARN and above only quieten Kafka's INFO. */
    private static final Pattern ENTRY =
            Pattern.compile("<logger name=\"([^\"]+)\" level=\"(ERROR|OFF)\"/>");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([^`]+)` \\| (ERROR|OFF) \\|");

    @Test
    void theSilencedLoggersAreTheDocumentedOnes() throws IOException {
        Map<String, String> silenced = found(ENTRY, Files.readString(LOGBACK));
        assertFalse(silenced.isEmpty(), "no silenced logger found in " + LOGBACK + "; has its format changed?");
        assertEquals(found(ROW, Files.readString(DOC)), silenced,
                "the loggers " + LOGBACK + " silences and the list in " + DOC + " (Logging) differ");
    }

    @Test
    void nothingIsSilencedByAFilterOrTheRootLevel() throws IOException {
        String config = Files.readString(LOGBACK);
        assertFalse(config.contains("<turboFilter") || config.contains("<filter"),
                "a filter in " + LOGBACK + ": silence a logger by its name instead");
        assertFalse(Pattern.compile("<root level=\"(ERROR|OFF)\"").matcher(config).find(),
                "the root level of " + LOGBACK + " is raised above WARN");
    }

    private static Map<String, String> found(Pattern pattern, String text) {
        Map<String, String> levels = new TreeMap<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            levels.put(m.group(1), m.group(2));
        }
        return levels;
    }
}
