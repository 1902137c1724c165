package dev.semiactive.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How {@code al.region} splits images into labelling regions: square cells or SLIC superpixels. */
public enum RegionKind implements ConfigChoice {
    GRID("grid"),
    SLIC("slic");

    private final String configName;

    RegionKind(String configName) {
        this.configName = configName;
    }

    @JsonValue
    @Override
    public String configName() {
        return configName;
    }

    /** Parses a config name; an unknown one fails with the list of allowed names. */
    @JsonCreator
    public static RegionKind of(String name) {
        return ConfigChoice.parse(RegionKind.class, "region kind", name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
