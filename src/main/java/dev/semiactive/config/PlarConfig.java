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
 * @param margin            vote only: the agreed class must be nearer than {@code (1 - margin)} times the
 *                          runner-up's distance in both metrics, else the pixel is undecided; [0, 1), default 0
 *                          (the paper's vote; docs/plar.md)
 */
public record PlarConfig(FeatureTap features, int maxPixelsPerClass, double shrinkage, PlarRule rule, boolean classBalanced,
                         double margin) {
    public PlarConfig {
        ConfigChecks.required("plar.features", features);
        ConfigChecks.atLeast("plar.max_pixels_per_class", maxPixelsPerClass, 2);
        ConfigChecks.fraction("plar.shrinkage", shrinkage);
        ConfigChecks.required("plar.rule", rule);
        if (!(margin >= 0 && margin < 1)) throw new ConfigValueException("plar.margin", margin, "must be a number >= 0 and < 1 (0 = the paper's vote)");
        if (margin > 0 && rule != PlarRule.VOTE)
            throw new ConfigValueException("plar.margin", margin, "applies to the vote rule only: set plar.rule to vote or plar.margin to 0");
    }

    public static PlarConfig defaults() {
        return new PlarConfig(FeatureTap.F2, 2000, 0.1, PlarRule.VOTE, false, 0.0);
    }
}
