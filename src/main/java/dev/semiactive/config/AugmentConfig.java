package dev.semiactive.config;

/**
 * Section {@code augment}: training augmentation. The weak view uses scale and flip; the strong view
 * (unlabelled images) adds colour jitter, blur and CutMix.
 *
 * @param scale       random rescale range {@code [min, max]} before cropping (default [0.5, 2.0])
 * @param flip        random horizontal flip (default true)
 * @param colorJitter {@code color_jitter}: strength of brightness/contrast/saturation jitter, [0, 1] (default 0.4)
 * @param blur        probability of a Gaussian blur, [0, 1] (default 0.5)
 * @param cutmix      probability of CutMix between unlabelled images, [0, 1] (default 0.5)
 */
public record AugmentConfig(Range scale, boolean flip, double colorJitter, double blur, double cutmix) {
    public AugmentConfig {
        ConfigChecks.required("augment.scale", scale);
        ConfigChecks.fraction("augment.color_jitter", colorJitter);
        ConfigChecks.fraction("augment.blur", blur);
        ConfigChecks.fraction("augment.cutmix", cutmix);
    }

    public static AugmentConfig defaults() {
        return new AugmentConfig(new Range(0.5, 2.0), true, 0.4, 0.5, 0.5);
    }
}
