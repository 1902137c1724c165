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

    /**
     * The settings that differ between two configs, as "key old -> new" in key order (a key one side leaves unset
     * reads "unset"; numbers compare by value, so 1 and 1.0 are the same setting).
     */
    public static java.util.List<String> differences(SemiactiveConfig before, SemiactiveConfig after) {
        java.util.List<String> out = new java.util.ArrayList<>();
        differences("", toTree(before), toTree(after), out);
        return out;
    }

    private static void differences(String prefix, com.fasterxml.jackson.databind.JsonNode a, com.fasterxml.jackson.databind.JsonNode b,
                                    java.util.List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            java.util.Set<String> keys = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) differences(prefix.isEmpty() ? k : prefix + "." + k, a.get(k), b.get(k), out);
            return;
        }
        boolean same = a == null ? b == null || b.isNull() : a.equals(b) || (a.isNumber() && b != null && b.isNumber()
                && a.asDouble() == b.asDouble());
        if (!same) out.add(prefix + " " + text(a) + " -> " + text(b));
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode n) {
        return n == null || n.isNull() ? "unset" : n.isTextual() ? n.asText() : n.toString();
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
