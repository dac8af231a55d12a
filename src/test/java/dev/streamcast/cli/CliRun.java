package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the {@code streamcast} command line in the test's JVM, through the same picocli setup main() uses: its
 * exit code and what it printed on stdout and stderr.
 */
public record CliRun(int exitCode, String out, String err) {

    /** Runs the command line with {@code args}. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = StreamcastCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * A user's mistake, as the project promises to report it: exactly one line on stderr, containing every fragment,
     * no stack trace, and exit code 2.
     */
    public void assertUserError(String... fragments) {
        assertEquals(2, exitCode, err);
        assertEquals(1, err.strip().lines().count(), err);
        for (String f : fragments) {
            assertTrue(err.contains(f), () -> "'" + f + "' not in: " + err);
        }
        assertFalse(err.contains("\tat "), err);
    }
}
