package dev.semiactive.config;

/**
 * Section {@code plar}: pseudo-label auto-refinement from class feature statistics.
 *
 * @param features          feature tap for the statistics (default {@code f2})
 * @param maxPixelsPerClass {@code max_pixels_per_class}: labelled pixels sampled per class for mean and
 *                          covariance (default 2000)
 * @param shrinkage         covariance shrinkage towards its diagonal, [0, 1] (default 0.1)
 * @param rule              decision rule (default {@code vote}, the paper's)
 * @param classBalanced     {@code class_balanced}: shrink each class's covariance towards the pooled one, so
 *                          rare classes borrow the shape of the others (default false; docs/plar.md)
 */
public record PlarConfig(FeatureTap features, int maxPixelsPerClass, double shrinkage, PlarRule rule, boolean classBalanced) {
    public PlarConfig {
        ConfigChecks.required("plar.features", features);
        ConfigChecks.atLeast("plar.max_pixels_per_class", maxPixelsPerClass, 2);
        ConfigChecks.fraction("plar.shrinkage", shrinkage);
        ConfigChecks.required("plar.rule", rule);
    }

    public static PlarConfig defaults() {
        return new PlarConfig(FeatureTap.F2, 2000, 0.1, PlarRule.VOTE, false);
    }
}
