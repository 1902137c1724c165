package dev.semiactive.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How {@code al.strategy} ranks regions for labelling (SPEC.md "Active learning"). */
public enum AlStrategy implements ConfigChoice {
    RANDOM("random"),
    ENTROPY("entropy"),
    MARGIN("margin"),
    CORESET("coreset"),
    S4AL("s4al"),
    TSF_PLAR("tsf-plar"),
    /** tsf-plar's score with s4al's per-image quota (docs/active-learning.md). */
    TSF_PLAR_SPREAD("tsf-plar-spread");

    private final String configName;

    AlStrategy(String configName) {
        this.configName = configName;
    }

    /** Whether the strategy ranks regions by PLAR's undecided pixels, so rounds must run PLAR to score the pool. */
    public boolean needsPlar() {
        return this == TSF_PLAR || this == TSF_PLAR_SPREAD;
    }

    @JsonValue
    @Override
    public String configName() {
        return configName;
    }

    /** Parses a config name; an unknown one fails with the list of allowed names. */
    @JsonCreator
    public static AlStrategy of(String name) {
        return ConfigChoice.parse(AlStrategy.class, "active-learning strategy", name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
