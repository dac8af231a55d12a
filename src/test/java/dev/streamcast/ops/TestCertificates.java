package dev.streamcast.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost made with the JDK's keytool, in the forms http.tls.*
 * accepts: a PKCS12 key store with its password, the same key and certificate as one PEM file, and the
 * certificate alone as a PEM trust store.
 */
public record TestCertificates(Path pkcs12, String password, Path pemKeyStore, Path pemCertificate) {

    public static TestCertificates create(Path dir, String password) {
        try {
            Files.createDirectories(dir);
            Path p12 = dir.resolve("http.p12");
            keytool(dir, "-genkeypair", "-alias", "http", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                    "CN=streamcast-test", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", password, "-keypass", password);
            KeyStore store = KeyStore.getInstance(p12.toFile(), password.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey("http", password.toCharArray());
            Certificate certificate = store.getCertificate("http");
            String certPem = pem("CERTIFICATE", certificate.getEncoded());
            Path pemCert = Files.writeString(dir.resolve("http-cert.pem"), certPem);
            Path pemKeys = Files.writeString(dir.resolve("http-keys.pem"), pem("PRIVATE KEY", key.getEncoded())
                    + certPem);
            return new TestCertificates(p12, password, pemKeys, pemCert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test certificate: " + e, e);
        }
    }

    /** A TLS context that trusts this certificate only: a real client of the HTTPS server. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("http", KeyStore.getInstance(pkcs12.toFile(), password.toCharArray())
                    .getCertificate("http"));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
