package dev.streamcast.cli.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.cli.StreamcastCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamcast broker} refuses unusable cluster and security keys with one line and exit code 2. */
@Tag("unit")
class EmbeddedBrokerSettingsTest {

    @TempDir
    Path dir;

    private String[] broker(String... sets) {
        String[] args = new String[sets.length * 2 + 5];
        args[0] = "broker";
        args[1] = "--set";
        args[2] = "embedded.kafka.dir=" + dir.resolve("kafka");
        args[3] = "--set";
        args[4] = "embedded.kafka.port=0";
        for (int i = 0; i < sets.length; i++) {
            args[5 + 2 * i] = "--set";
            args[6 + 2 * i] = sets[i];
        }
        return args;
    }

    private static void assertOneLine(String[] args, String... fragments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = StreamcastCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        assertEquals(2, code, err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        for (String f : fragments) {
            assertTrue(err.toString().contains(f), () -> "'" + f + "' not in: " + err);
        }
        assertFalse(err.toString().contains("\tat "), err.toString());
    }

    @Test
    void votersNeedAClusterId() {
        assertOneLine(broker("embedded.kafka.voters=1@127.0.0.1:19093,2@127.0.0.1:29093"),
                "embedded.kafka.voters", "a cluster id is required");
    }

    @Test
    void theNodeMustBeAmongTheVoters() {
        assertOneLine(broker("embedded.kafka.voters=1@127.0.0.1:19093,2@127.0.0.1:29093",
                "embedded.kafka.node-id=3", "embedded.kafka.cluster-id=MkU3OEVBNTcwNTJENDM2Qg"),
                "node id 3 is not among the voters");
    }

    @Test
    void aNodeIdOtherThanOneNeedsVoters() {
        assertOneLine(broker("embedded.kafka.node-id=2"), "embedded.kafka.node-id=2 needs embedded.kafka.voters");
    }

    @Test
    void aclsNeedScram() {
        assertOneLine(broker("embedded.kafka.acls=true"),
                "embedded.kafka.acls=true needs embedded.kafka.security=scram");
    }

    @Test
    void scramNeedsAUsersFile() {
        assertOneLine(broker("embedded.kafka.security=scram"), "embedded.kafka.users");
    }

    @Test
    void aBadLineOfTheUsersFileIsNamedWithoutItsPassword() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "broker:long-enough-1\napp:short7!\n");
        assertOneLine(broker("embedded.kafka.security=scram", "embedded.kafka.users=" + users),
                users + " line 2", "the password of app must have 8 characters");
        StringWriter err = new StringWriter();
        StreamcastCommand.commandLine().setErr(new PrintWriter(err))
                .execute(broker("embedded.kafka.security=scram", "embedded.kafka.users=" + users));
        assertFalse(err.toString().contains("short7!"), err.toString());
        assertFalse(err.toString().contains("long-enough-1"), err.toString());
    }

    @Test
    void anUnknownSecurityIsRefused() {
        assertOneLine(broker("embedded.kafka.security=kerberos"), "expected none or scram");
    }
}
