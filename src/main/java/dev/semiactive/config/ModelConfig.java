package dev.semiactive.config;

import java.nio.file.Path;

/**
 * Section {@code model}: the DeepLabv3+ network.
 *
 * @param backbone     encoder (default {@code mobilenetv2})
 * @param width        MobileNetV2 width multiplier, (0, 4] (default 1.0; must stay 1.0 for other backbones)
 * @param inChannels   {@code in_channels}: input channels, 3 for RGB/IRRG, 4 with a DSM (default 3)
 * @param outputStride {@code output_stride}: encoder stride, 16 or 8 (default 16)
 * @param init         a checkpoint folder (e.g. {@code runs/<name>-pretext}, made by {@code semiactive pretrain})
 *                     whose {@code student} parameters start every network of that name in a run trained from
 *                     scratch: each parameter with the same name and shape is copied (the encoder and decoder of a
 *                     pretext network), the rest (its classifier, made for other classes) keeps its seeded
 *                     initialisation. Not used when a run resumes or warm-starts from an earlier round.
 *                     Null = seeded initialisation only (default)
 */
public record ModelConfig(Backbone backbone, double width, int inChannels, int outputStride, Path init) {
    public ModelConfig {
        ConfigChecks.required("model.backbone", backbone);
        if (!(width > 0 && width <= 4)) throw new ConfigValueException("model.width", width, "must be a number > 0 and <= 4");
        if (backbone != Backbone.MOBILENETV2 && width != 1.0)
            throw new ConfigValueException("model.width", width,
                    "only mobilenetv2 takes a width multiplier; use 1.0 with " + backbone.configName());
        ConfigChecks.between("model.in_channels", inChannels, 1, 16);
        if (outputStride != 8 && outputStride != 16)
            throw new ConfigValueException("model.output_stride", outputStride, "must be 8 or 16");
    }

    public static ModelConfig defaults() {
        return new ModelConfig(Backbone.MOBILENETV2, 1.0, 3, 16, null);
    }
}
