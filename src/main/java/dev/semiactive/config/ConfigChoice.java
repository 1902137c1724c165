package dev.semiactive.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An enum whose constants appear in config files and on the command line under a lower-case name
 * ({@code mean-teacher}, {@code tsf-plar}). Each implementing enum exposes the name with {@code @JsonValue}
 * and parses with a {@code @JsonCreator} that calls {@link #parse}, so an unknown name fails with the list
 * of known ones.
 */
public interface ConfigChoice {
    /** The name written in config files. */
    String configName();

    /**
     * The constant named {@code name} (case-insensitive, surrounding blanks ignored).
     *
     * @param what the kind of thing, for the error message ("backbone", "dataset format")
     * @throws ConfigValueException naming the allowed names when none matches
     */
    static <E extends Enum<E> & ConfigChoice> E parse(Class<E> type, String what, String name) {
        if (name != null) {
            String wanted = name.strip();
            for (E constant : type.getEnumConstants())
                if (constant.configName().equalsIgnoreCase(wanted)) return constant;
        }
        throw new ConfigValueException(null, name, "unknown " + what + "; allowed: " + names(type));
    }

    /** The allowed names, comma separated, in declaration order. */
    static <E extends Enum<E> & ConfigChoice> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigChoice::configName).collect(Collectors.joining(", "));
    }
}
