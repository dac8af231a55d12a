package dev.streamcast.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streamcast's configuration: the documented defaults of {@code config/streamcast.properties} (bundled in the
 * jar) overlaid with what the user gave. Keys under {@code kafka.} pass to Kafka unchanged; any other key must be
 * one of the documented ones, so a typo is an error rather than a silently ignored setting.
 */
public final class StreamcastConfig {

    public static final String KAFKA_PREFIX = "kafka.";
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|jaas|token|credential|key\\.pem|"
            + "private).*");

    private final Map<String, String> values;

    private StreamcastConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** The bundled defaults alone. */
    public static StreamcastConfig defaults() {
        return new StreamcastConfig(bundledDefaults());
    }

    /** The defaults overlaid with {@code overrides}; unknown non-Kafka keys are refused. */
    public static StreamcastConfig of(Map<String, String> overrides) {
        Map<String, String> defaults = bundledDefaults();
        Map<String, String> merged = new TreeMap<>(defaults);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey().trim();
            if (!key.startsWith(KAFKA_PREFIX) && !defaults.containsKey(key)) {
                throw new ConfigException("unknown configuration key '" + key + "' (see config/streamcast.properties)");
            }
            merged.put(key, e.getValue() == null ? "" : e.getValue().trim());
        }
        return new StreamcastConfig(merged);
    }

    private static Map<String, String> bundledDefaults() {
        Properties p = new Properties();
        try (InputStream in = StreamcastConfig.class.getResourceAsStream("/config/streamcast.properties")) {
            if (in == null) {
                throw new IllegalStateException(
                        "the bundled config/streamcast.properties is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k).trim()));
        return map;
    }

    /** The same configuration with one key changed (tests and the demo use it). */
    public StreamcastConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return of(copy);
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** The value, or "" when the key is set to nothing. */
    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new ConfigException("no configuration key '" + key + "'");
        }
        return v;
    }

    public boolean isSet(String key) {
        String v = values.get(key);
        return v != null && !v.isEmpty();
    }

    public int getInt(String key, int min, int max) {
        String v = get(key);
        int value;
        try {
            value = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": expected an integer, got '" + v + "'");
        }
        if (value < min || value > max) {
            throw new ConfigException(key + ": expected " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    public double getDouble(String key, double min, double max) {
        String v = get(key);
        double value;
        try {
            value = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": expected a number, got '" + v + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new ConfigException(key + ": expected " + min + " to " + max + ", got " + v);
        }
        return value;
    }

    /**
     * A duration as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d} or ISO-8601 {@code PT10M}; null
     * when unset.
     */
    public Duration getDuration(String key) {
        String v = get(key);
        if (v.isEmpty()) {
            return null;
        }
        return parseDuration(key, v);
    }

    /**
     * {@code v} as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d} or ISO-8601, positive; the
     * configuration's one duration syntax, also for command-line options.
     *
     * @param key what the value is for, named in the error
     */
    public static Duration parseDuration(String key, String v) {
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    d = Duration.ofMillis(n);
                    break;
                case "s":
                    d = Duration.ofSeconds(n);
                    break;
                case "m":
                    d = Duration.ofMinutes(n);
                    break;
                case "h":
                    d = Duration.ofHours(n);
                    break;
                default:
                    d = Duration.ofDays(n);
            }
        } else {
            try {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new ConfigException(key + ": expected a duration such as 500ms, 30s, 10m, 1h or PT10M, got '" + v
                        + "'");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(key + ": expected a positive duration, got '" + v + "'");
        }
        return d;
    }

    /** Every {@code kafka.*} key with the prefix removed: what Kafka Streams and its clients receive. */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        values.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX) && !v.isEmpty()) {
                p.put(k.substring(KAFKA_PREFIX.length()), v);
            }
        });
        return p;
    }

    public boolean hasBootstrapServers() {
        return isSet("kafka.bootstrap.servers");
    }

    /** Whether a key's value must never be shown (passwords, JAAS configs, tokens). */
    public static boolean isSecret(String key) {
        return SECRET.matcher(key).matches();
    }

    /** The configuration for a log line, secrets masked. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append('=').append(isSecret(k) && !v.isEmpty() ? "[hidden]" : v);
        });
        return sb.append('}').toString();
    }
}
