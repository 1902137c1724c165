package dev.semiactive.config;

import java.util.List;

/** The value rules the config records share; each throws a {@link ConfigValueException} naming the key. */
final class ConfigChecks {
    private ConfigChecks() {
    }

    static <T> T required(String key, T value) {
        if (value == null) throw new ConfigValueException(key, null, "a value is required");
        return value;
    }

    static int atLeast(String key, int value, int min) {
        if (value < min) throw new ConfigValueException(key, value, "must be an integer >= " + min);
        return value;
    }

    static int between(String key, int value, int min, int max) {
        if (value < min || value > max)
            throw new ConfigValueException(key, value, "must be an integer from " + min + " to " + max);
        return value;
    }

    static double positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) throw new ConfigValueException(key, value, "must be a number > 0");
        return value;
    }

    static double nonNegative(String key, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) throw new ConfigValueException(key, value, "must be a number >= 0");
        return value;
    }

    /** A fraction or probability: [0, 1]. */
    static double fraction(String key, double value) {
        if (!(value >= 0 && value <= 1)) throw new ConfigValueException(key, value, "must be a number from 0 to 1");
        return value;
    }

    /** A share that must keep something: (0, 1]. */
    static double positiveFraction(String key, double value) {
        if (!(value > 0 && value <= 1)) throw new ConfigValueException(key, value, "must be a number above 0 and at most 1");
        return value;
    }

    /** A decay or momentum: [0, 1), since 1 would never move. */
    static double decay(String key, double value) {
        if (!(value >= 0 && value < 1)) throw new ConfigValueException(key, value, "must be a number >= 0 and < 1");
        return value;
    }

    static String notBlank(String key, String value) {
        if (value == null || value.isBlank()) throw new ConfigValueException(key, value, "must be a non-empty name");
        return value;
    }

    /** A list of split names: null stays null (not used), otherwise non-empty with non-blank names. */
    static List<String> splits(String key, List<String> value) {
        if (value == null) return null;
        if (value.isEmpty() || value.stream().anyMatch(s -> s == null || s.isBlank()))
            throw new ConfigValueException(key, value, "must be a split name or a non-empty list of split names");
        return List.copyOf(value);
    }
}
