package dev.streamcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.streamcast.cli.StreamcastCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every command the README shows with a {@code $ } prompt and compares what it prints with what the README
 * shows under it, line by line: the README prints what the code prints. A line {@code ...} in the README stands for
 * any number of lines; a duration ({@code , 88 ms} at a line's end) is the only figure allowed to differ.
 *
 * <p>The commands run in this JVM through the same command line {@code main} runs. Files the README's commands
 * create (seed.csv, seed-model.json) go to a temporary directory instead of the working directory, and its path is
 * taken out of what the commands print.
 */
@Tag("unit")
class ReadmeExamplesTest {

    private static final String PROMPT = "$ ";
    private static final String JAR = "java -jar target/streamcast.jar ";
    private static final Pattern PRINTF = Pattern.compile("printf '([^']*)' > (\\S+)");
    private static final Pattern DURATION = Pattern.compile(", \\d+ ms$");
    /** Options whose value is a file: one the repository has is used as it is, any other goes to the temp dir. */
    private static final List<String> FILE_OPTIONS = List.of("--model", "--data", "--out");

    @TempDir
    Path dir;

    /** One command of a README block and the lines the README shows it printing. */
    record Example(String command, List<String> expected) {
    }

    /** The commands of every fenced block that has {@code $ } prompts, in order, with their shown output. */
    static List<Example> examples(Path markdown) throws IOException {
        List<Example> examples = new ArrayList<>();
        boolean inBlock = false;
        String command = null;
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("```")) {
                if (inBlock && command != null) {
                    examples.add(new Example(command, expected));
                }
                inBlock = !inBlock;
                command = null;
                expected = new ArrayList<>();
            } else if (inBlock && line.startsWith(PROMPT)) {
                if (command != null) {
                    examples.add(new Example(command, expected));
                }
                command = line.substring(PROMPT.length()).strip();
                expected = new ArrayList<>();
            } else if (inBlock && command != null) {
                expected.add(line);
            }
        }
        return examples;
    }

    @Test
    void everyCommandTheReadmeShowsPrintsWhatTheReadmeShows() throws IOException {
        List<Example> examples = examples(Path.of("README.md"));
        assertTrue(examples.size() >= 5, "the README's seed example has five commands: " + examples);
        for (Example example : examples) {
            String printed = run(example.command());
            assertMatches(example, printed.lines().toList());
        }
    }

    /** Runs one README command: a {@code printf '...' > FILE} or a {@code java -jar target/streamcast.jar ...}. */
    private String run(String command) throws IOException {
        Matcher printf = PRINTF.matcher(command);
        if (printf.matches()) {
            Files.writeString(dir.resolve(printf.group(2)), printf.group(1).replace("\\n", "\n"));
            return "";
        }
        if (!command.startsWith(JAR)) {
            fail("the README shows a command this test cannot run: " + command);
        }
        String[] args = command.substring(JAR.length()).split(" ");
        for (int i = 1; i < args.length; i++) {
            if (FILE_OPTIONS.contains(args[i - 1]) && !Files.exists(Path.of(args[i]))) {
                args[i] = dir.resolve(args[i]).toString();
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = StreamcastCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        assertEquals(0, code, command + ": " + err);
        return out.toString().replace(dir + dir.getFileSystem().getSeparator(), "");
    }

    /** The printed lines against the README's, {@code ...} skipping any number of printed lines. */
    private static void assertMatches(Example example, List<String> printed) {
        List<String> shown = example.expected();
        int p = 0;
        for (int s = 0; s < shown.size(); s++) {
            String want = shown.get(s);
            if (want.equals("...")) {
                String next = s + 1 < shown.size() ? normalised(shown.get(s + 1)) : null;
                while (p < printed.size() && (next == null || !normalised(printed.get(p)).equals(next))) {
                    p++;
                }
                continue;
            }
            assertTrue(p < printed.size(), example.command() + ": the README shows '" + want
                    + "' but the command printed only:\n" + String.join("\n", printed));
            assertEquals(normalised(want), normalised(printed.get(p)), example.command() + ": line " + (p + 1)
                    + " of what it printed:\n" + String.join("\n", printed));
            p++;
        }
        assertEquals(printed.size(), p, example.command() + " printed more than the README shows:\n"
                + String.join("\n", printed));
    }

    private static String normalised(String line) {
        return DURATION.matcher(line.stripTrailing()).replaceFirst(", N ms");
    }
}
