package dev.streamcast.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SCRAM users of a secured embedded broker, from a file of {@code user:password} lines (blank lines and lines
 * starting with # are skipped). The first user is the inter-broker user: its credential is written into the data
 * directory when it is formatted, since brokers must authenticate to each other before any credential can be added
 * through the cluster, and it is the super user.
 *
 * <p>{@link #toString()} names the users, never their passwords.
 */
final class ScramUsers {

    /** Names travel inside SCRAM messages and ACL principals; keep them to characters that need no escaping. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /**
     * Kafka's storage formatter reads the inter-broker credential from a {@code [name="..",password=".."]} string,
     * and JAAS configs quote the password; these characters would break either.
     */
    private static final Pattern FORBIDDEN_IN_PASSWORD = Pattern.compile("[\",\\]\\\\\\s;]");

    private final Map<String, String> passwords;

    private ScramUsers(Map<String, String> passwords) {
        this.passwords = passwords;
    }

    /**
     * @throws IllegalArgumentException naming the file and the line that is wrong (never the password)
     */
    static ScramUsers read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(where + ": expected user:password");
            }
            String name = line.substring(0, colon).strip();
            String password = line.substring(colon + 1).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": a user name is 1-128 letters, digits, '.', '_' or '-'");
            }
            if (password.length() < 8 || FORBIDDEN_IN_PASSWORD.matcher(password).find()) {
                throw new IllegalArgumentException(where + ": the password of " + name + " must have 8 characters "
                    + "or more and no space, quote, comma, semicolon, backslash or ]");
            }
            if (passwords.put(name, password) != null) {
                throw new IllegalArgumentException(where + ": user " + name + " is listed twice");
            }
        }
        if (passwords.isEmpty()) {
            throw new IllegalArgumentException(file + ": no user:password line (the first user is the brokers' own)");
        }
        return new ScramUsers(passwords);
    }

    /** The first user of the file: the brokers authenticate to each other as it, and it is the super user. */
    String interBrokerUser() {
        return passwords.keySet().iterator().next();
    }

    List<String> names() {
        return new ArrayList<>(passwords.keySet());
    }

    boolean contains(String user) {
        return passwords.containsKey(user);
    }

    /** The password of {@code user}; for the JAAS config of a client or the broker, never for a log line. */
    String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no user '" + user + "' in the users file");
        }
        return password;
    }

    @Override
    public String toString() {
        return "ScramUsers" + passwords.keySet();
    }
}
