package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamcast run} against a broker that requires SASL_SSL/SCRAM and ACLs, configured with the usual
 * {@code kafka.} keys: a user's mistake (a wrong password, a missing ACL) ends it with one line and exit code 2,
 * quickly, instead of an endless retry loop.
 */
@Tag("broker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredRunTest {

    private static final String APP_PASSWORD = "app-Secret-22";
    /**
     * An application id that is no prefix of any of Streamcast's topics: its prefix ACLs (Kafka Streams' internal
     * topics, group and transactional ids) grant nothing on those, so each of them is granted by name, as a careful
     * operator does. (The default id, streamcast, is a prefix of streamcast-anomalies and the other streamcast-*
     * topics: a prefix ACL on it hid a missing check on the anomalies topic.)
     */
    private static final String APPLICATION_ID = "secured-app";
    private static final List<String> TOPICS = List.of("sensor-readings", "sensor-forecasts", "streamcast-accuracy",
            "streamcast-training-samples", "streamcast-models", "streamcast-dlq", "streamcast-anomalies");

    @TempDir
    static Path dir;
    private EmbeddedKafkaBroker broker;

    @BeforeAll
    void startBroker() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "broker:broker-Secret-1\napp:" + APP_PASSWORD
                + "\nreadonly:readonly-Secret-4\nnogroup:nogroup-Secret-5\nnoanomalies:noanomalies-Secret-6\n");
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0).scram(users, dir.resolve("tls"), true)
                .start();
        List<AclBinding> acls = new ArrayList<>();
        // readonly and noanomalies may do everything Streamcast does, except WRITE on one topic each.
        acls.addAll(allButWrite("readonly", "sensor-forecasts"));
        acls.addAll(allButWrite("noanomalies", "streamcast-anomalies"));
        // nogroup may do everything on the topics, but not join the application's consumer group.
        for (String topic : TOPICS) {
            acls.add(allow("nogroup", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.ALL));
        }
        acls.add(allow("nogroup", ResourceType.TRANSACTIONAL_ID, APPLICATION_ID, PatternType.PREFIXED,
                AclOperation.ALL));
        acls.add(allow("nogroup", ResourceType.TOPIC, APPLICATION_ID, PatternType.PREFIXED, AclOperation.ALL));
        Map<String, Object> admin = new HashMap<>(broker.clientProperties("broker"));
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin a = Admin.create(admin)) {
            a.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Per topic, by name: CREATE, DESCRIBE, READ and WRITE on each of Streamcast's topics except WRITE on
     * {@code withoutWrite}; everything on the application's internal topics, group and transactional ids.
     */
    private static List<AclBinding> allButWrite(String user, String withoutWrite) {
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : TOPICS) {
            for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.READ)) {
                acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, op));
            }
            if (!topic.equals(withoutWrite)) {
                acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            }
        }
        acls.add(allow(user, ResourceType.GROUP, APPLICATION_ID, PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, APPLICATION_ID, PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow(user, ResourceType.TOPIC, APPLICATION_ID, PatternType.PREFIXED, AclOperation.ALL));
        return acls;
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    record Run(int exitCode, String out, String err, Duration took) {
    }

    private Run run(String user, String password) {
        List<String> args = new ArrayList<>(List.of("run"));
        Map<String, String> sets = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                "kafka.ssl.truststore.type", "PEM",
                "kafka.ssl.truststore.location", broker.trustStore().toString(),
                "kafka.application.id", APPLICATION_ID,
                "kafka.state.dir", dir.resolve("state-" + user).toString(),
                "http.port", "0"));
        sets.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        // A run that does not fail would run until stopped: the timeout turns that into a failed test.
        int code = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> StreamcastCommand.commandLine()
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args.toArray(String[]::new)));
        return new Run(code, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static void assertOneLineUserError(Run run, String... fragments) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        for (String f : fragments) {
            assertTrue(run.err().contains(f), () -> "'" + f + "' not in: " + run.err());
        }
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void aWrongPasswordEndsRunWithOneLineWithinThirtySeconds() {
        Run run = run("app", "not-the-password");

        assertOneLineUserError(run, "run: ", "refused the credentials", "kafka.sasl.jaas.config");
        assertFalse(run.err().contains("not-the-password"), run.err());
        assertTrue(run.took().compareTo(Duration.ofSeconds(30)) < 0, "took " + run.took());
    }

    @Test
    void aPrincipalWithoutTheWriteAclEndsRunWithOneLineNamingTopicAndOperation() {
        Run run = run("readonly", "readonly-Secret-4");

        assertOneLineUserError(run, "run: ", "WRITE", "'sensor-forecasts'");
        assertTrue(run.took().compareTo(Duration.ofSeconds(30)) < 0, "took " + run.took());
    }

    @Test
    void aPrincipalWithoutWriteOnTheAnomaliesTopicEndsRunWithOneLineNamingIt() {
        Run run = run("noanomalies", "noanomalies-Secret-6");

        assertOneLineUserError(run, "run: ", "WRITE", "'streamcast-anomalies'");
        assertTrue(run.took().compareTo(Duration.ofSeconds(30)) < 0, "took " + run.took());
    }

    @Test
    void aPrincipalRefusedByKafkaStreamsEndsRunWithOneLineInsteadOfReplacingThreadsForever() {
        Run run = run("nogroup", "nogroup-Secret-5");

        assertOneLineUserError(run, "run: the stream stopped", "group");
        assertTrue(run.took().compareTo(Duration.ofSeconds(60)) < 0, "took " + run.took());
    }
}
