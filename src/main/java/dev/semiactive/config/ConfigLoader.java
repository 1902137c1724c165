package dev.semiactive.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@link SemiactiveConfig}: defaults, then the YAML file, then {@code --set} overrides, then binds
 * the tree to the records. Every failure is a one-line {@link ConfigException} that starts with the file
 * or override at fault and names the key:
 * <pre>
 * configs/x.yaml: unknown key 'train.stepz' (did you mean 'steps'?); valid keys in train: method, steps, ...
 * --set model.backbone=resnet34: model.backbone = resnet34 is invalid: unknown backbone; allowed: mobilenetv2, ...
 * </pre>
 * The result has {@code run.output_dir} filled in, so dumping it with {@link ConfigWriter} gives a config
 * that reproduces the run.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** Loads a config file and applies {@code KEY=VALUE} overrides in order. */
    public static SemiactiveConfig load(Path file, List<String> overrides) {
        String text;
        try {
            if (Files.isDirectory(file)) throw new ConfigException("config " + file + ": is a directory, not a YAML file");
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException("config " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        return parse(text, file.toString(), overrides);
    }

    /**
     * The config a run saved beside its results (its config.yaml), to compare a rerun with; unreadable, it is a one-line
     * error naming the fix.
     */
    public static SemiactiveConfig loadSaved(Path saved) {
        try {
            return load(saved, List.of());
        } catch (RuntimeException e) {
            throw new dev.semiactive.SemiactiveException("cannot read " + saved + " (" + e.getMessage() + "): restore it, or delete "
                    + saved.getParent() + " to make what it holds again", e);
        }
    }

    /** Loads a config shipped inside the jar (e.g. {@code configs/demo.yaml}) and applies overrides. */
    public static SemiactiveConfig loadResource(String resource, List<String> overrides) {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new ConfigException("built-in config " + resource + " is missing from the jar: rebuild with mvn package");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource, overrides);
        } catch (IOException e) {
            throw new ConfigException("built-in config " + resource + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Parses YAML text.
     *
     * @param source how errors name the text (usually the file path)
     */
    public static SemiactiveConfig parse(String yaml, String source, List<String> overrides) {
        ConfigTree tree = new ConfigTree(defaultsTree());
        tree.merge(readYaml(yaml, source), source);
        for (ConfigOverride override : ConfigOverride.parseAll(overrides)) tree.set(override.key(), override.value(), override.source());
        return bind(tree).withResolvedOutputDir();
    }

    /** The default config with overrides applied (no file). */
    public static SemiactiveConfig defaults(List<String> overrides) {
        return parse("", "defaults", overrides);
    }

    private static ObjectNode defaultsTree() {
        return ConfigMapper.YAML.valueToTree(SemiactiveConfig.defaults());
    }

    private static JsonNode readYaml(String yaml, String source) {
        try {
            return ConfigMapper.YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String line = location != null && location.getLineNr() > 0 ? " line " + location.getLineNr() : "";
            if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null)
                line = " line " + (marked.getProblemMark().getLine() + 1);
            throw new ConfigException(source + line + ": not valid YAML: " + yamlProblem(e), e);
        }
    }

    /** The one-line core of a YAML parse error (SnakeYAML's messages span several lines). */
    static String yamlProblem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null)
            return oneLine(marked.getProblem());
        return oneLine(e.getOriginalMessage());
    }

    private static SemiactiveConfig bind(ConfigTree tree) {
        try {
            return ConfigMapper.YAML.treeToValue(tree.root(), SemiactiveConfig.class);
        } catch (JsonMappingException e) {
            throw bindingError(tree, e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(tree.originOf("") + ": " + oneLine(e.getOriginalMessage()), e);
        }
    }

    private static ConfigException bindingError(ConfigTree tree, JsonMappingException e) {
        ConfigValueException invalid = findCause(e, ConfigValueException.class);
        String key = invalid != null && invalid.key() != null ? invalid.key() : keyOf(e);
        String rule;
        String value;
        if (invalid != null) {
            rule = invalid.rule();
            // A record constructor reports the value it received; a creator without a key sees only a piece.
            value = invalid.key() != null ? ConfigValueException.render(invalid.value()) : render(tree.at(key));
        } else {
            rule = expected(e);
            value = render(tree.at(key));
        }
        return new ConfigException(tree.originOf(key) + ": " + key + " = " + value + " is invalid: " + rule, e);
    }

    /** The dotted key where Jackson failed, up to the first list index ({@code data.size[0]} is {@code data.size}). */
    private static String keyOf(JsonMappingException e) {
        List<String> names = new ArrayList<>();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() == null) break;
            names.add(reference.getFieldName());
        }
        return String.join(".", names);
    }

    private static boolean insideList(JsonMappingException e) {
        return e.getPath().stream().anyMatch(reference -> reference.getFieldName() == null);
    }

    private static final Set<Class<?>> INTEGERS = Set.of(int.class, Integer.class, long.class, Long.class, short.class, Short.class);
    private static final Set<Class<?>> NUMBERS = Set.of(double.class, Double.class, float.class, Float.class);

    /** What a mismatched value should have been, in user words. */
    private static String expected(JsonMappingException e) {
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> target = mismatch.getTargetType();
            String what = INTEGERS.contains(target) ? "an integer" : NUMBERS.contains(target) ? "a number"
                    : target == boolean.class || target == Boolean.class ? "true or false"
                    : target == String.class ? "text" : target == Path.class ? "a path"
                    : List.class.isAssignableFrom(target) ? "a list" : null;
            if (what != null) return insideList(e) ? "items must be " + plural(what) : "must be " + what;
        }
        return oneLine(e.getOriginalMessage());
    }

    private static String plural(String what) {
        return switch (what) {
            case "an integer" -> "integers";
            case "a number" -> "numbers";
            case "a path" -> "paths";
            case "a list" -> "lists";
            default -> what;
        };
    }

    /** A tree value as the user would have written it. */
    static String render(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) return "null";
        if (node.isValueNode()) return node.asText();
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(render(item)));
            return "[" + String.join(", ", items) + "]";
        }
        return oneLine(node.toString());
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause())
            if (type.isInstance(t)) return type.cast(t);
        return null;
    }

    private static String oneLine(String message) {
        if (message == null) return "unknown problem";
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
