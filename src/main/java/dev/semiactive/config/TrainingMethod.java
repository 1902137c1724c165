package dev.semiactive.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How {@code train.method} trains: labels only, or one of the semi-supervised schemes. */
public enum TrainingMethod implements ConfigChoice {
    SUPERVISED("supervised"),
    MEAN_TEACHER("mean-teacher"),
    CPS("cps"),
    TSF("tsf");

    private final String configName;

    TrainingMethod(String configName) {
        this.configName = configName;
    }

    @JsonValue
    @Override
    public String configName() {
        return configName;
    }

    /** Parses a config name; an unknown one fails with the list of allowed names. */
    @JsonCreator
    public static TrainingMethod of(String name) {
        return ConfigChoice.parse(TrainingMethod.class, "training method", name);
    }

    /** Whether the method trains on unlabelled images too (every method but {@code supervised}). */
    public boolean usesUnlabelled() {
        return this != SUPERVISED;
    }

    @Override
    public String toString() {
        return configName;
    }
}
