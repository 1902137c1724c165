package dev.semiactive.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How PLAR decides a flagged pixel ({@code plar.rule}): the paper's Euclidean/Mahalanobis vote, or a probabilistic fusion of the two distances. */
public enum PlarRule implements ConfigChoice {
    VOTE("vote"),
    FUSION("fusion");

    private final String configName;

    PlarRule(String configName) {
        this.configName = configName;
    }

    @JsonValue
    @Override
    public String configName() {
        return configName;
    }

    /** Parses a config name; an unknown one fails with the list of allowed names. */
    @JsonCreator
    public static PlarRule of(String name) {
        return ConfigChoice.parse(PlarRule.class, "PLAR rule", name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
