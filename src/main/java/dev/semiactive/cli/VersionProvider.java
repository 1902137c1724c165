package dev.semiactive.cli;

import ai.djl.engine.Engine;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code --version}: semiactive's version and the DJL and PyTorch actually loaded. Starting the engine
 * costs a second, but reports the native library that would run rather than the one the build asked for.
 */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        Properties build = buildProperties();
        String pytorch;
        try {
            pytorch = Engine.getEngine("PyTorch").getVersion();
        } catch (RuntimeException | LinkageError e) {
            pytorch = build.getProperty("pytorch", "?") + " (engine did not start: " + e.getMessage() + ")";
        }
        return new String[]{
                "semiactive " + build.getProperty("version", "dev"),
                "DJL " + Engine.getDjlVersion(),
                "PyTorch " + pytorch};
    }

    /** Versions Maven filtered into the jar ({@code dev/semiactive/version.properties}). */
    static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/semiactive/version.properties")) {
            if (in != null) properties.load(in);
        } catch (IOException e) {
            // a missing or unreadable file leaves the defaults in getVersion()
        }
        return properties;
    }
}
