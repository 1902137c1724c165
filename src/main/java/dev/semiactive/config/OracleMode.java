package dev.semiactive.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What the simulated oracle reveals of a queried region ({@code al.oracle_mode}): every pixel's ground
 * truth, or only the region's dominant class for all its pixels (a one-click annotator).
 */
public enum OracleMode implements ConfigChoice {
    ALL("all"),
    DOMINANT("dominant");

    private final String configName;

    OracleMode(String configName) {
        this.configName = configName;
    }

    @JsonValue
    @Override
    public String configName() {
        return configName;
    }

    /** Parses a config name; an unknown one fails with the list of allowed names. */
    @JsonCreator
    public static OracleMode of(String name) {
        return ConfigChoice.parse(OracleMode.class, "oracle mode", name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
