package dev.streamcast.cli.files;

import dev.streamcast.config.ConfigException;
import dev.streamcast.config.StreamcastConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the configuration the way docs/configuration.md gives it: the bundled defaults, then the properties file
 * ({@code --config FILE}, or {@code config/streamcast.properties} when it exists), then environment variables
 * {@code STREAMCAST_<KEY>}, then {@code --set key=value}; later wins.
 */
public final class ConfigLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    static final String ENV_PREFIX = "STREAMCAST_";
    private static final Path DEFAULT_FILE = Path.of("config/streamcast.properties");

    private ConfigLoader() {
    }

    public static StreamcastConfig load(Path file, Map<String, String> environment, Map<String, String> sets) {
        Map<String, String> values = new HashMap<>();
        Path source = file != null ? file : (Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null);
        if (source != null) {
            values.putAll(readProperties(source));
        }
        values.putAll(fromEnvironment(environment));
        if (sets != null) {
            values.putAll(sets);
        }
        try {
            return StreamcastConfig.of(values);
        } catch (ConfigException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }

    private static Map<String, String> readProperties(Path file) {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            p.load(reader);
        } catch (NoSuchFileException e) {
            throw new UserInputException("--config: " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new UserInputException("--config: " + file + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /**
     * The environment variable that sets {@code key}: STREAMCAST_ + key upper-cased, dots and dashes as underscores.
     */
    static String environmentName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> byEnvName = new HashMap<>();
        for (String key : StreamcastConfig.defaults().asMap().keySet()) {
            byEnvName.put(environmentName(key), key);
        }
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            String key = byEnvName.get(name);
            if (key == null && name.startsWith(ENV_PREFIX + "KAFKA_")) {
                // Kafka's own keys are dotted lower case: STREAMCAST_KAFKA_SASL_JAAS_CONFIG -> kafka.sasl.jaas.config
                key = "kafka." + name.substring((ENV_PREFIX + "KAFKA_").length()).toLowerCase(Locale.ROOT)
                        .replace('_', '.');
            }
            if (key == null) {
                LOG.warn("ignoring environment variable {}: it names no configuration key", name);
                continue;
            }
            out.put(key, e.getValue());
        }
        return out;
    }
}
