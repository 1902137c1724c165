package dev.semiactive.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Dataset layouts that {@code data.format} can name; see SPEC.md "Datasets". */
public enum DatasetFormat implements ConfigChoice {
    CAMVID("camvid"),
    PALETTE("palette"),
    FOLDER("folder"),
    VAIHINGEN("vaihingen"),
    CITYSCAPES("cityscapes"),
    SYNTHETIC("synthetic");

    private final String configName;

    DatasetFormat(String configName) {
        this.configName = configName;
    }

    @JsonValue
    @Override
    public String configName() {
        return configName;
    }

    /** Parses a config name; an unknown one fails with the list of allowed names. */
    @JsonCreator
    public static DatasetFormat of(String name) {
        return ConfigChoice.parse(DatasetFormat.class, "dataset format", name);
    }

    /** Whether the format reads files under {@code data.root} ({@code synthetic} generates its images). */
    public boolean readsFolder() {
        return this != SYNTHETIC;
    }

    @Override
    public String toString() {
        return configName;
    }
}
