package dev.semiactive.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/** A closed interval of positive numbers, written {@code [min, max]} (e.g. a random scale range). */
public record Range(double min, double max) {
    public Range {
        if (!(min > 0) || !(max >= min) || Double.isInfinite(max))
            throw new ConfigValueException(null, List.of(min, max), "must be [min, max] with 0 < min <= max");
    }

    /** From the config form {@code [min, max]}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Range of(List<Double> minMax) {
        if (minMax == null || minMax.size() != 2 || minMax.contains(null))
            throw new ConfigValueException(null, minMax, "must be [min, max], e.g. [0.5, 2.0]");
        return new Range(minMax.get(0), minMax.get(1));
    }

    @JsonValue
    public List<Double> toList() {
        return List.of(min, max);
    }
}
