package dev.semiactive.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/** A width and height in pixels, written {@code [width, height]} in config files (e.g. {@code [240, 180]}). */
public record ImageSize(int width, int height) {
    public ImageSize {
        if (width < 1 || height < 1)
            throw new ConfigValueException(null, List.of(width, height), "width and height must be at least 1");
    }

    /** From the config form {@code [width, height]}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ImageSize of(List<Integer> widthHeight) {
        if (widthHeight == null || widthHeight.size() != 2 || widthHeight.contains(null))
            throw new ConfigValueException(null, widthHeight, "must be [width, height], e.g. [240, 180]");
        return new ImageSize(widthHeight.get(0), widthHeight.get(1));
    }

    @JsonValue
    public List<Integer> toList() {
        return List.of(width, height);
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
