package dev.semiactive.config;

import java.nio.file.Path;

/**
 * Section {@code run}: what the run is called, where it writes, and the seed every random choice derives
 * from.
 *
 * @param name      run name, letters, digits, '.', '_' and '-' (default {@code run})
 * @param outputDir {@code output_dir}: where checkpoints, logs and the manifest go; null means
 *                  {@code runs/<name>}, filled in by {@link ConfigLoader} so the dumped config is explicit
 * @param seed      seed for initialisation, sampling, augmentation and region choice (default 42)
 */
public record RunConfig(String name, Path outputDir, long seed) {
    public RunConfig {
        ConfigChecks.notBlank("run.name", name);
        if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith("."))
            throw new ConfigValueException("run.name", name,
                    "must use only letters, digits, '.', '_' and '-' (it names a folder) and not start with '.'");
    }

    public static RunConfig defaults() {
        return new RunConfig("run", null, 42);
    }

    /** {@link #outputDir()}, or {@code runs/<name>} when it is not set. */
    public Path resolvedOutputDir() {
        return outputDir != null ? outputDir : Path.of("runs", name);
    }
}
