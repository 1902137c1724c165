package dev.semiactive.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.semiactive.SemiactiveException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The encoders a {@link DeepLabV3Plus} can be built on; {@link #id()} is the name used in configs. */
public enum Backbone {
    /** MobileNetV2 (torchvision layout) with a width multiplier; low-level features 24*w ch, high 320*w. */
    MOBILENETV2("mobilenetv2"),
    /** ResNet-50 (torchvision v1.5 bottlenecks); low-level features 256 ch, high 2048. */
    RESNET50("resnet50"),
    /** ResNet-101; same layout as ResNet-50 with 23 blocks in the third stage. */
    RESNET101("resnet101"),
    /**
     * A small plain-convolution encoder-decoder with the same output convention (strides 16 and 4) but
     * 64*w channels in F1/F2 instead of 256: for fast tests and demos, not for benchmarks.
     */
    TINY("tiny");

    private final String id;

    Backbone(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /**
     * @param id a config name, case-insensitive
     * @return the backbone
     * @throws SemiactiveException naming the valid names when {@code id} is not one
     */
    @JsonCreator
    public static Backbone fromId(String id) {
        if (id != null) {
            String wanted = id.trim().toLowerCase(Locale.ROOT);
            for (Backbone b : values()) {
                if (b.id.equals(wanted)) {
                    return b;
                }
            }
        }
        throw new SemiactiveException("unknown backbone '" + id + "': use one of "
                + Arrays.stream(values()).map(Backbone::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
