package dev.semiactive.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semiactive.SemiactiveException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a resolved config back out, with every key explicit: the YAML reloads to an equal config
 * ({@link ConfigLoader#parse}), the JSON tree goes into run manifests.
 */
public final class ConfigWriter {
    private ConfigWriter() {
    }

    public static String toYaml(SemiactiveConfig config) {
        try {
            return ConfigMapper.YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toJson(SemiactiveConfig config) {
        try {
            return ConfigMapper.JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The config as a JSON tree, to embed in a manifest object. */
    public static ObjectNode toTree(SemiactiveConfig config) {
        return ConfigMapper.JSON.valueToTree(config);
    }

    /** Writes the YAML atomically: a temporary file in the same folder, then a rename. */
    public static void writeYaml(SemiactiveConfig config, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, toYaml(config), StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new SemiactiveException("cannot write config " + file + ": " + e.getMessage(), e);
        }
    }
}
