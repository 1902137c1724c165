package dev.semiactive.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who labels queried regions ({@code al.oracle}): the ground truth, or a person in the web UI. */
public enum OracleKind implements ConfigChoice {
    SIMULATED("simulated"),
    HUMAN("human");

    private final String configName;

    OracleKind(String configName) {
        this.configName = configName;
    }

    @JsonValue
    @Override
    public String configName() {
        return configName;
    }

    /** Parses a config name; an unknown one fails with the list of allowed names. */
    @JsonCreator
    public static OracleKind of(String name) {
        return ConfigChoice.parse(OracleKind.class, "oracle", name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
