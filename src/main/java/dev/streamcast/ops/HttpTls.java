package dev.streamcast.ops;

import dev.streamcast.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTP server's TLS material and the trust its instances put in each other, read once at start from
 * http.tls.keystore (a PKCS12 or JKS key store opened with http.tls.password, or a PEM file holding the
 * certificate chain and an unencrypted PKCS#8 private key) and http.tls.truststore (PEM certificates, or a PKCS12
 * or JKS store opened with http.tls.truststore-password).
 *
 * <p>Error messages name the key and the file, never a password.
 */
final class HttpTls {

    static final String KEYSTORE = "http.tls.keystore";
    static final String PASSWORD = "http.tls.password";
    static final String TRUSTSTORE = "http.tls.truststore";
    static final String TRUSTSTORE_PASSWORD = "http.tls.truststore-password";
    /** The password of the in-memory store made from a PEM file; it guards nothing not already in this memory. */
    private static final String PEM_STORE_PASSWORD = "in-memory";
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final KeyStore keyStore;
    private final String keyStorePassword;

    private HttpTls(KeyStore keyStore, String keyStorePassword) {
        this.keyStore = keyStore;
        this.keyStorePassword = keyStorePassword;
    }

    /** The server's key store from http.tls.keystore; null when it is not set (plain HTTP). */
    static HttpTls serverFrom(String keyStoreFile, String password) {
        if (keyStoreFile.isEmpty()) {
            return null;
        }
        Path file = Path.of(keyStoreFile);
        byte[] bytes = read(KEYSTORE, file);
        if (isPem(bytes)) {
            return new HttpTls(pemKeyStore(file, new String(bytes, StandardCharsets.US_ASCII)), null);
        }
        return new HttpTls(load(KEYSTORE, file, password), password);
    }

    /**
     * The TLS context for calling other instances, trusting http.tls.truststore; the JDK's default trust (public
     * certificate authorities) when it is not set.
     */
    static SSLContext clientContext(String trustStoreFile, String password) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trustStoreFile.isEmpty()) {
                trust.init((KeyStore) null);
            } else {
                Path file = Path.of(trustStoreFile);
                byte[] bytes = read(TRUSTSTORE, file);
                trust.init(isPem(bytes) ? pemTrustStore(file, new String(bytes, StandardCharsets.US_ASCII))
                        : load(TRUSTSTORE, file, password));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(TRUSTSTORE + ": " + trustStoreFile + ": " + e.getMessage(), e);
        }
    }

    /** Jetty's server-side TLS, with the key store read here (Jetty never sees the file or its password again). */
    SslContextFactory.Server sslContextFactory() {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStore(keyStore);
        factory.setKeyStorePassword(keyStorePassword != null ? keyStorePassword : PEM_STORE_PASSWORD);
        // Clients connect by IP address as often as by name; they verify the certificate's names themselves.
        factory.setSniRequired(false);
        return factory;
    }

    private static boolean isPem(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.US_ASCII).contains("-----BEGIN ");
    }

    private static byte[] read(String key, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(key + ": " + file + ": no such file", e);
        } catch (IOException e) {
            throw new ConfigException(key + ": " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String key, Path file, String password) {
        try {
            return KeyStore.getInstance(file.toFile(), password.isEmpty() ? null : password.toCharArray());
        } catch (IOException e) {
            // The JDK reports a wrong password as an IOException whose cause is UnrecoverableKeyException.
            throw new ConfigException(key + ": " + file + ": cannot open it (" + e.getMessage()
                    + "); is it a PKCS12, JKS or PEM file, and is its password right?", e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key + ": " + file + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore pemKeyStore(Path file, String pem) {
        List<Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        try {
            CertificateFactory certificates = CertificateFactory.getInstance("X.509");
            Matcher m = PEM_BLOCK.matcher(pem);
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                switch (m.group(1)) {
                    case "CERTIFICATE" -> chain.add(certificates.generateCertificate(new ByteArrayInputStream(der)));
                    case "PRIVATE KEY" -> key = privateKey(file, der);
                    case "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new ConfigException(
                            KEYSTORE + ": " + file
                                    + ": the private key must be unencrypted PKCS#8 (BEGIN PRIVATE KEY); "
                                    + "convert it with: openssl pkcs8 -topk8 -nocrypt");
                    default -> {
                        // other blocks (parameters) are not needed
                    }
                }
            }
            if (key == null || chain.isEmpty()) {
                throw new ConfigException(KEYSTORE + ": " + file + ": a PEM key store needs a PRIVATE KEY and its "
                        + "CERTIFICATE chain in one file");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("http", key, PEM_STORE_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(KEYSTORE + ": " + file + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file, byte[] der) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException(KEYSTORE + ": " + file + ": the private key is not an RSA, EC or Ed25519 key");
    }

    private static KeyStore pemTrustStore(Path file, String pem) throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            CertificateFactory certificates = CertificateFactory.getInstance("X.509");
            try (InputStream in = new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))) {
                int i = 0;
                for (Certificate c : certificates.generateCertificates(in)) {
                    store.setCertificateEntry("trusted-" + i++, c);
                }
                if (i == 0) {
                    throw new ConfigException(TRUSTSTORE + ": " + file + ": no CERTIFICATE in it");
                }
            }
            return store;
        } catch (IOException e) {
            throw new ConfigException(TRUSTSTORE + ": " + file + ": " + e.getMessage(), e);
        }
    }
}
