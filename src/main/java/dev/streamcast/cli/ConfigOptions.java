package dev.streamcast.cli;

import dev.streamcast.cli.files.ConfigLoader;
import dev.streamcast.config.StreamcastConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** The configuration options of the commands that run something: {@code --config FILE} and {@code --set KEY=VALUE}. */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "A properties file (default: config/streamcast.properties when it exists).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one configuration key; repeatable.")
    Map<String, String> sets;

    /** The configuration from the file, the environment and --set, over {@code defaults} (which --set overrides). */
    StreamcastConfig load(Map<String, String> defaults) {
        Map<String, String> overrides = new TreeMap<>(defaults);
        if (sets != null) {
            overrides.putAll(sets);
        }
        return ConfigLoader.load(config, System.getenv(), overrides);
    }

    StreamcastConfig load() {
        return load(Map.of());
    }
}
