package dev.semiactive.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One command-line override {@code KEY=VALUE} ({@code --set train.steps=200}). The key is a dotted path
 * of config keys; the value is read as YAML, so {@code 200} is a number, {@code true} a boolean,
 * {@code [240,180]} a list, {@code null} clears a key and anything else is text. Overrides are applied to
 * the YAML tree before binding, so they are checked exactly like values in a file.
 *
 * @param key   dotted key, e.g. {@code model.backbone}
 * @param value the parsed value
 * @param text  the override as the user wrote it, for error messages
 */
public record ConfigOverride(String key, JsonNode value, String text) {
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    /** Parses {@code KEY=VALUE}; a malformed one fails with a one-line {@link ConfigException}. */
    public static ConfigOverride parse(String text) {
        int eq = text.indexOf('=');
        String example = "expected KEY=VALUE with a dotted key, e.g. --set train.steps=200";
        if (eq < 0) throw new ConfigException("--set " + text + ": " + example);
        String key = text.substring(0, eq).strip();
        String raw = text.substring(eq + 1).strip();
        if (!KEY.matcher(key).matches())
            throw new ConfigException("--set " + text + ": '" + key + "' is not a dotted key of lower-case names; " + example);
        if (raw.isEmpty())
            throw new ConfigException("--set " + text + ": no value after '='; write " + key + "=null to clear the key");
        JsonNode value;
        try {
            value = ConfigMapper.YAML.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new ConfigException("--set " + text + ": the value is not valid YAML (" + ConfigLoader.yamlProblem(e) + ")");
        }
        if (value == null || value.isMissingNode()) value = JsonNodeFactory.instance.nullNode();
        return new ConfigOverride(key, value, text);
    }

    public static List<ConfigOverride> parseAll(List<String> texts) {
        return texts.stream().map(ConfigOverride::parse).toList();
    }

    /** How error messages name this override. */
    String source() {
        return "--set " + text;
    }
}
