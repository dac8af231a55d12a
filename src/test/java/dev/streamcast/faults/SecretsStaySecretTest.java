package dev.streamcast.faults;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.ops.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured setup end to end, as processes: {@code streamcast run} on its embedded broker with SASL_SSL/SCRAM
 * and ACLs, connecting as embedded.kafka.client-user, serving HTTPS with an admin token. Readings sent with the
 * right credentials come back as forecasts. Then every log line (Kafka's at INFO, Streamcast's at DEBUG), every
 * line printed, every API answer (errors too), /metrics and the error messages of refused starts are searched for
 * the passwords, the JAAS config, the key store passwords and the admin token: none may appear.
 */
@Tag("broker")
class SecretsStaySecretTest {

    private static final String BROKER_PASSWORD = "Brk-pass-81x";
    private static final String APP_PASSWORD = "App-pass-92y";
    private static final String ADMIN_TOKEN = "admin-token-5f3e9a";
    private static final String HTTP_KEYSTORE_PASSWORD = "Http-store-73z";
    private static final String WRONG_PASSWORD = "Wrong-pass-00q";
    private static final String TOO_SHORT_PASSWORD = "Sh0rt!x";
    private static final Pattern KAFKA_AT = Pattern.compile("on Kafka at (\\S+)");

    @TempDir
    Path dir;
    private final List<JvmProcess> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(JvmProcess::destroyQuietly);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void noPasswordTokenOrJaasConfigAppearsAnywhere() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "broker:" + BROKER_PASSWORD + "\napp:" + APP_PASSWORD
                + "\n");
        TestCertificates certificates = TestCertificates.create(dir.resolve("certs"), HTTP_KEYSTORE_PASSWORD);
        int kafkaPort = FaultCluster.freePort();
        int httpPort = FaultCluster.freePort();
        Path tls = dir.resolve("tls");
        List<String> everything = List.of("-Dlogback.configurationFile="
                + Path.of("target/test-classes/logback-everything.xml").toAbsolutePath());

        JvmProcess run = launch("run", "run", everything, Map.of(
                "embedded.kafka.port", Integer.toString(kafkaPort),
                "embedded.kafka.dir", dir.resolve("kafka").toString(),
                "embedded.kafka.security", "scram",
                "embedded.kafka.users", users.toString(),
                "embedded.kafka.acls", "true",
                "embedded.kafka.tls.dir", tls.toString(),
                "embedded.kafka.client-user", "app",
                "kafka.state.dir", dir.resolve("state").toString(),
                "http.port", Integer.toString(httpPort),
                "http.tls.keystore", certificates.pkcs12().toString()),
                Map.of("STREAMCAST_HTTP_ADMIN_TOKEN", ADMIN_TOKEN,
                        "STREAMCAST_HTTP_TLS_PASSWORD", HTTP_KEYSTORE_PASSWORD));
        run.awaitOutput(ServiceInstance.RUNNING, Duration.ofMinutes(2));
        Matcher at = KAFKA_AT.matcher(run.stdout());
        assertTrue(at.find(), run.stdout());
        String bootstrap = at.group(1);
        Map<String, Object> app = clientProperties(bootstrap, "app", APP_PASSWORD, tls);

        // The right credentials, end to end: readings in, forecasts out.
        int sensors = 10;
        int readings = 12;
        Map<String, Object> producerConfig = new HashMap<>(app);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        long base = System.currentTimeMillis() - readings * 60_000L;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < readings; i++) {
                for (int s = 0; s < sensors; s++) {
                    // A minute apart: each reading is later than the last, as the window needs.
                    long timestamp = base + i * 60_000L;
                    producer.send(new ProducerRecord<>("sensor-readings", "sensor-" + s,
                            "{\"value\": " + (s + Math.sin(i)) + ", \"timestamp\": " + timestamp + "}"));
                }
            }
            producer.flush();
        }
        int expected = sensors * (readings - FaultCluster.WINDOW_LENGTH + 1);
        assertEquals(expected, countForecasts(app, expected), "one forecast per full window");

        // Every answer of the API, errors included.
        StringBuilder answers = new StringBuilder();
        HttpClient https = HttpClient.newBuilder().sslContext(certificates.clientContext()).build();
        for (String path : List.of("/health", "/ready", "/metrics", "/api/sensors", "/api/sensors/sensor-1",
                "/api/sensors/unknown", "/api/models", "/api/models/runs", "/api/stats", "/")) {
            answers.append(call(https, httpPort, "GET", path, ADMIN_TOKEN));
        }
        String metrics = call(https, httpPort, "GET", "/metrics", ADMIN_TOKEN);
        assertTrue(metrics.contains("200") && metrics.contains("# TYPE"), metrics);
        answers.append(call(https, httpPort, "POST", "/api/models/default/retrain", ADMIN_TOKEN));
        answers.append(call(https, httpPort, "GET", "/api/sensors", "not-the-token"));
        answers.append(call(https, httpPort, "GET", "/api/sensors", null));
        answers.append(call(https, httpPort, "POST", "/api/models/default/retrain", "not-the-token"));

        // Refused starts: a wrong password from the environment, a users file with a bad line.
        JvmProcess wrong = launch("wrong-password", "run", everything, Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "kafka.state.dir", dir.resolve("state-wrong").toString(),
                "http.port", "0"), Map.of(
                "STREAMCAST_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "STREAMCAST_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "STREAMCAST_KAFKA_SASL_JAAS_CONFIG", jaas("app", WRONG_PASSWORD),
                "STREAMCAST_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                "STREAMCAST_KAFKA_SSL_TRUSTSTORE_LOCATION", tls.resolve("truststore.pem").toString()));
        assertEquals(2, wrong.awaitExit(Duration.ofSeconds(60)), wrong.logTail(20));
        assertTrue(wrong.logTail(1).contains("refused the credentials"), wrong.logTail(5));
        Path badUsers = Files.writeString(dir.resolve("bad-users"), "broker:" + BROKER_PASSWORD + "\napp:"
                + TOO_SHORT_PASSWORD + "\n");
        JvmProcess badFile = launch("bad-users", "broker", everything, Map.of("embedded.kafka.port", "0",
                "embedded.kafka.dir", dir.resolve("kafka-bad").toString(), "embedded.kafka.security", "scram",
                "embedded.kafka.users", badUsers.toString()), Map.of());
        assertEquals(2, badFile.awaitExit(Duration.ofSeconds(60)), badFile.logTail(20));
        assertTrue(badFile.logTail(1).contains("line 2"), badFile.logTail(5));

        int exit = run.terminate(Duration.ofSeconds(90));
        assertTrue(exit == 0 || exit == 143, "run stopped cleanly on SIGTERM, exit " + exit);

        String keyStorePassword = Files.readString(tls.resolve("broker.p12.password")).strip();
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("the brokers' password", BROKER_PASSWORD);
        secrets.put("the client user's password", APP_PASSWORD);
        secrets.put("the admin token", ADMIN_TOKEN);
        secrets.put("the HTTPS key store password", HTTP_KEYSTORE_PASSWORD);
        secrets.put("the broker's key store password", keyStorePassword);
        secrets.put("a wrong password", WRONG_PASSWORD);
        secrets.put("a password of the users file", TOO_SHORT_PASSWORD);
        secrets.put("a JAAS config", "ScramLoginModule required");
        Map<String, String> texts = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".out")).toList()) {
                texts.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.ISO_8859_1)
                        .lines().filter(l -> !l.startsWith("=== ")).reduce("", (a, b) -> a + b + "\n"));
            }
        }
        texts.put("the API's answers", answers.toString());
        assertTrue(texts.get("run.log").contains("connecting to the embedded broker as User:app"),
                "the log is the one of the secured run");
        assertTrue(texts.get("run.log").lines().count() > 200, "Kafka's INFO lines are in the log");
        assertTrue(texts.get("run.log").contains("sasl.jaas.config = [hidden]"),
                "the clients' configuration, JAAS key included, is in the log that is searched");
        List<String> leaks = new ArrayList<>();
        texts.forEach((where, text) -> secrets.forEach((what, secret) -> {
            int i = text.indexOf(secret);
            if (i >= 0) {
                leaks.add(what + " in " + where + ": ..." + text.substring(Math.max(0, i - 120),
                        Math.min(text.length(), i + secret.length() + 40)).replace(secret, "<" + what + ">") + "...");
            }
        }));
        assertEquals(List.of(), leaks);
    }

    /** {@code streamcast <command>} with --set settings and secrets in its environment only. */
    private JvmProcess launch(String name, String command, List<String> jvmOptions, Map<String, String> settings,
                              Map<String, String> environment) {
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        JvmProcess process = JvmProcess.start(name, dir, "768m", jvmOptions, command, args, environment);
        processes.add(process);
        return process;
    }

    private static String call(HttpClient client, int port, String method, String path, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return method + " " + path + " -> " + response.statusCode() + " " + response.headers().map() + "\n"
                + response.body() + "\n";
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static Map<String, Object> clientProperties(String bootstrap, String user, String password, Path tls) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", "SCRAM-SHA-512");
        props.put("sasl.jaas.config", jaas(user, password));
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", tls.resolve("truststore.pem").toString());
        return props;
    }

    private static int countForecasts(Map<String, Object> client, int expected) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "streamcast-secrets-check");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AtomicInteger seen = new AtomicInteger();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("sensor-forecasts"));
            try {
                await(expected + " forecasts", Duration.ofSeconds(90)).pollInterval(Duration.ZERO)
                        .until(() -> seen.addAndGet(consumer.poll(Duration.ofMillis(300)).count()) >= expected);
            } catch (ConditionTimeoutException e) {
                // The caller says how many came.
            }
            seen.addAndGet(consumer.poll(Duration.ofSeconds(2)).count());
        }
        return seen.get();
    }
}
