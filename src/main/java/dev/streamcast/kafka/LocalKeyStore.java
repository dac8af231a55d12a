package dev.streamcast.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS material of a secured embedded broker, for local use: a self-signed key pair in a PKCS12 key store, its
 * password in a file readable by its owner only, and the certificate as a PEM trust store that clients are given
 * ({@code ssl.truststore.type=PEM}, no password). Created on first use with the JDK's {@code keytool} and reused
 * afterwards, so the nodes of a cluster on one machine can share one directory (the first node creates it).
 *
 * <p>The certificate names localhost, 127.0.0.1, ::1, this machine's host name and the listener's host, so
 * clients keep verifying host names.
 */
final class LocalKeyStore {

    static final String KEY_STORE = "broker.p12";
    static final String PASSWORD_FILE = "broker.p12.password";
    static final String TRUST_STORE = "truststore.pem";
    /** The subject of the brokers' certificate, and so the principal of a broker calling a controller over TLS. */
    static final String SUBJECT = "CN=streamcast-embedded-broker";
    private static final String ALIAS = "broker";
    private static final String PASSWORD_VARIABLE = "STREAMCAST_KEYSTORE_PASSWORD";
    private static final Logger LOG = LoggerFactory.getLogger(LocalKeyStore.class);
    /** Brokers of one JVM (tests) creating the same directory at once; other processes are held off by a file lock. */
    private static final Object CREATION = new Object();

    private final Path directory;
    private final String password;

    private LocalKeyStore(Path directory, String password) {
        this.directory = directory;
        this.password = password;
    }

    /** The key store in {@code directory}, created first if it is not there. */
    static LocalKeyStore openOrCreate(Path directory, String listenerHost) {
        synchronized (CREATION) {
            try {
                Files.createDirectories(directory);
                try (FileChannel channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                    if (!Files.exists(directory.resolve(KEY_STORE)) || !Files.exists(directory.resolve(TRUST_STORE))) {
                        create(directory, listenerHost);
                    }
                    String password =
                        Files.readString(directory.resolve(PASSWORD_FILE), StandardCharsets.UTF_8).strip();
                    return new LocalKeyStore(directory, password);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the TLS key store in " + directory + ": "
                    + e.getMessage(), e);
            }
        }
    }

    private static void create(Path directory, String listenerHost) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path passwordFile = directory.resolve(PASSWORD_FILE);
        Files.deleteIfExists(passwordFile);
        Files.deleteIfExists(directory.resolve(KEY_STORE));
        Files.deleteIfExists(directory.resolve(TRUST_STORE));
        Files.createFile(passwordFile,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        // The password reaches keytool through its environment, never its command line (which `ps` shows).
        keytool(directory, password, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
            "-sigalg", "SHA256withECDSA", "-dname", SUBJECT, "-validity", "3650", "-ext",
            "SAN=" + subjectAlternativeNames(listenerHost), "-storetype", "PKCS12", "-keystore", KEY_STORE,
            "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE);
        keytool(directory, password, "-exportcert", "-rfc", "-alias", ALIAS, "-keystore", KEY_STORE,
            "-storetype", "PKCS12", "-storepass:env", PASSWORD_VARIABLE, "-file", TRUST_STORE);
        LOG.info("created a TLS key store for the embedded broker in {}; clients trust {}", directory,
            directory.resolve(TRUST_STORE));
    }

    private static String subjectAlternativeNames(String listenerHost) {
        Set<String> names = new LinkedHashSet<>(List.of("dns:localhost", "ip:127.0.0.1", "ip:::1"));
        try {
            names.add("dns:" + InetAddress.getLocalHost().getCanonicalHostName());
        } catch (IOException e) {
            LOG.debug("this machine's host name is unknown; the certificate names loopback only", e);
        }
        if (listenerHost != null && !BrokerListeners.isWildcard(listenerHost)) {
            boolean literal = listenerHost.matches("[0-9.]+") || listenerHost.contains(":");
            names.add((literal ? "ip:" : "dns:") + listenerHost);
        }
        return String.join(",", names);
    }

    private static void keytool(Path directory, String password, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, password);
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running keytool", e);
        }
    }

    Path keyStore() {
        return directory.resolve(KEY_STORE);
    }

    /** The key store's (and key's) password; for the broker's configuration only. */
    String password() {
        return password;
    }

    /** The PEM certificate clients trust. */
    Path trustStore() {
        return directory.resolve(TRUST_STORE);
    }
}
