package dev.semiactive.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** DeepLabv3+ encoders that {@code model.backbone} can name; {@code tiny} is a small network for tests and the demo. */
public enum Backbone implements ConfigChoice {
    MOBILENETV2("mobilenetv2"),
    RESNET50("resnet50"),
    RESNET101("resnet101"),
    TINY("tiny");

    private final String configName;

    Backbone(String configName) {
        this.configName = configName;
    }

    @JsonValue
    @Override
    public String configName() {
        return configName;
    }

    /** Parses a config name; an unknown one fails with the list of allowed names. */
    @JsonCreator
    public static Backbone of(String name) {
        return ConfigChoice.parse(Backbone.class, "backbone", name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
