package dev.streamcast.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * What {@code streamcast --version} prints: {@code streamcast} and the project's version, which Maven writes into
 * {@code version.properties} at build time (the same in the jar and when run from classes).
 */
public final class StreamcastVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = StreamcastVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the class path");
            }
            build.load(in);
        }
        return new String[] {"streamcast " + build.getProperty("version")};
    }
}
