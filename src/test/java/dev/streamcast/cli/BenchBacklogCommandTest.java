package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench backlog}'s mistakes: one line and exit code 2, before any process starts. */
@Tag("unit")
class BenchBacklogCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    /** The command line main() runs, its output captured. */
    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = StreamcastCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertUserError(Run run, String... fragments) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        for (String f : fragments) {
            assertTrue(run.err().contains(f), () -> "'" + f + "' not in: " + run.err());
        }
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void fromClassesItAsksForTheJar() {
        // The tests run from target/classes, not from a jar.
        assertUserError(run("bench", "backlog", "--peer", "none"), "--jar");
    }

    @Test
    void aMissingJarAnUnknownPeerAndTooFewReadingsAreNamed() throws Exception {
        Path jar = Files.writeString(dir.resolve("streamcast.jar"), "not run");
        assertUserError(run("bench", "backlog", "--jar", dir.resolve("nope.jar").toString()),
                "nope.jar", "no such file");
        assertUserError(run("bench", "backlog", "--jar", jar.toString(), "--peer", "rust"),
                "--peer rust", "none, tfjs or python");
        assertUserError(run("bench", "backlog", "--jar", jar.toString(), "--peer", "python", "--peer-python",
                dir.resolve("no-python").toString()), "--peer python", "cannot run", "no-python");
        assertUserError(run("bench", "backlog", "--jar", jar.toString(), "--peer", "python",
                "--peer-dir", dir.toString()), "--peer python", "peer.py");
        assertUserError(run("bench", "backlog", "--jar", jar.toString(), "--peer", "none",
                "--set", "compression"), "--set compression", "KEY=VALUE");
        assertUserError(run("bench", "backlog", "--jar", jar.toString(), "--peer", "none",
                "--readings", "100", "--sensors", "50"), "--readings 100", "3 per sensor");
        assertUserError(run("bench", "backlog", "--jar", jar.toString(), "--peer", "none",
                "--input", "csv"), "--input csv", "json or number");
        assertUserError(run("bench", "backlog", "--jar", jar.toString(), "--peer", "tfjs",
                "--peer-dir", dir.toString()), "--peer tfjs", "peer-service.js");
        assertUserError(run("bench", "backlog", "--jar", jar.toString(), "--json",
                dir.resolve("no/such/dir/out.json").toString()), "--json", "does not exist");
    }

    @Test
    void aBadModelAndTheSeedsPeerWithAModelAreNamed() throws Exception {
        Path jar = Files.writeString(dir.resolve("streamcast.jar"), "not run");
        assertUserError(run("bench", "backlog", "--jar", jar.toString(), "--model",
                dir.resolve("nope.json").toString()), "nope.json", "no such file");
        Path wide = Files.writeString(dir.resolve("wide.json"), "{\"format\":\"streamcast-model/1\","
                + "\"layers\":[{\"type\":\"lstm\",\"units\":4,\"inputShape\":[5,2]},"
                + "{\"type\":\"dense\",\"units\":1}]}");
        assertUserError(run("bench", "backlog", "--jar", jar.toString(), "--model", wide.toString()),
                "wide.json", "one reading per step");
        Path model = Path.of(BenchBacklogCommandTest.class.getResource("/bench/lstm-long-window.json").toURI());
        assertUserError(run("bench", "backlog", "--jar", jar.toString(), "--model", model.toString(), "--peer",
                "tfjs"), "--peer tfjs", "seed model only");
    }

    @Test
    void benchListsIt() {
        Run help = run("bench", "--help");
        assertTrue(help.out().contains("'bench backlog'") && help.out().lines().anyMatch(l -> l.startsWith(
                "  backlog ")), help.out());
    }
}
