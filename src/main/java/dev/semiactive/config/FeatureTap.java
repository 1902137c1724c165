package dev.semiactive.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which features PLAR's class statistics use ({@code plar.features}): F1 (ASPP, stride 16), F2 (decoder, stride 4) or both concatenated. */
public enum FeatureTap implements ConfigChoice {
    F1("f1"),
    F2("f2"),
    BOTH("both");

    private final String configName;

    FeatureTap(String configName) {
        this.configName = configName;
    }

    @JsonValue
    @Override
    public String configName() {
        return configName;
    }

    /** Parses a config name; an unknown one fails with the list of allowed names. */
    @JsonCreator
    public static FeatureTap of(String name) {
        return ConfigChoice.parse(FeatureTap.class, "feature tap", name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
