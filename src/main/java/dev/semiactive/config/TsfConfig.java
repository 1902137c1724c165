package dev.semiactive.config;

/**
 * Section {@code tsf}: Teacher-Student-Friend training and the error mask decoder (SPEC.md).
 *
 * @param emaDecay     {@code ema_decay}: teacher EMA decay, [0, 1) (default 0.99)
 * @param threshold    teacher confidence tau below which a pseudo-label is unreliable, [0, 1] (default 0.7)
 * @param lambdaTs     {@code lambda_ts}: weight of the teacher-student loss (default 1.0)
 * @param lambdaCps    {@code lambda_cps}: weight of the cross pseudo supervision loss (default 1.5)
 * @param emd          train and use the error mask decoder (default true)
 * @param emdPosWeight {@code emd_pos_weight}: positive weight of the EMD's BCE; null = from the batch's
 *                     error/correct ratio (default)
 * @param rampupSteps  {@code rampup_steps}: sigmoid ramp-up of lambda_ts and lambda_cps over this many steps
 *                     of a run trained from scratch (not after a warm start); 0 = off (default, as SPEC)
 * @param weakBnStats  {@code weak_bn_stats}: BatchNorm running statistics of Student and Friend from the weak
 *                     views only; the strong view's forwards normalise with their batch statistics but leave
 *                     the running ones as they were (default false; docs/tsf.md)
 * @param distributionAlignment {@code distribution_alignment}: the Teacher's class probabilities scaled by
 *                     the labelled pixels' class frequencies over its own moving mean before pseudo-labels
 *                     are taken (ReMixMatch; default false; docs/tsf.md)
 */
public record TsfConfig(double emaDecay, double threshold, double lambdaTs, double lambdaCps, boolean emd,
                        Double emdPosWeight, int rampupSteps, boolean weakBnStats,
                        boolean distributionAlignment) {
    public TsfConfig {
        ConfigChecks.decay("tsf.ema_decay", emaDecay);
        ConfigChecks.fraction("tsf.threshold", threshold);
        ConfigChecks.nonNegative("tsf.lambda_ts", lambdaTs);
        ConfigChecks.nonNegative("tsf.lambda_cps", lambdaCps);
        if (emdPosWeight != null) ConfigChecks.positive("tsf.emd_pos_weight", emdPosWeight);
        if (rampupSteps < 0) throw new ConfigValueException("tsf.rampup_steps", rampupSteps, "must be >= 0 (0 = off)");
    }

    public static TsfConfig defaults() {
        return new TsfConfig(0.99, 0.7, 1.0, 1.5, true, null, 0, false, false);
    }
}
