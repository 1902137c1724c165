package dev.semiactive.config;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * One value that breaks its rule, e.g. {@code train.steps = -5 is invalid: must be an integer >= 1}.
 * Thrown by the config records' constructors, so a config built in code is checked exactly like one read
 * from a file; {@link ConfigLoader} catches it and prefixes the file or override that set the value.
 * The key may be null when the thrower does not know where it sits (an enum name, a [width, height]
 * pair): the loader then fills it in from the position in the YAML tree.
 */
public class ConfigValueException extends ConfigException {
    private final String key;
    private final Object value;
    private final String rule;

    public ConfigValueException(String key, Object value, String rule) {
        super(describe(key, value, rule));
        this.key = key;
        this.value = value;
        this.rule = rule;
    }

    /** Dotted key such as {@code train.steps}, or null if the thrower did not know it. */
    public String key() {
        return key;
    }

    public Object value() {
        return value;
    }

    /** What is allowed, e.g. {@code must be an integer >= 1}. */
    public String rule() {
        return rule;
    }

    static String describe(String key, Object value, String rule) {
        return (key == null ? "value" : key) + " = " + render(value) + " is invalid: " + rule;
    }

    /** Values as a user would write them: strings bare, lists in brackets. */
    static String render(Object value) {
        if (value == null) return "null";
        if (value instanceof Collection<?> c)
            return c.stream().map(ConfigValueException::render).collect(Collectors.joining(", ", "[", "]"));
        if (value instanceof ConfigChoice choice) return choice.configName();
        return String.valueOf(value);
    }
}
