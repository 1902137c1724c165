package dev.semiactive.train;

/**
 * The "poly" schedule of DeepLab: lr(step) = base * (1 - step / totalSteps)^power, 0 from totalSteps on;
 * with a linear warm-up, the first {@code warmupSteps} updates are scaled by (step + 1) / warmupSteps.
 *
 * <p>Why a warm-up: a network trained from scratch has its largest gradients in the first steps (norms of
 * 200-400 on CamVid with 1% of pixels labelled), exactly while the gradient clipping (AutoClip) has no history
 * to clip against; with momentum, a few full-rate steps there were enough to make a TSF run diverge.
 *
 * @param baseLr      learning rate at step 0 (after the warm-up)
 * @param totalSteps  steps of the whole run (not of a resumed part)
 * @param power       0.9 in DeepLab
 * @param warmupSteps linear warm-up length, 0 = none
 */
public record PolyLearningRate(double baseLr, long totalSteps, double power, long warmupSteps) {
    public PolyLearningRate {
        if (baseLr <= 0 || totalSteps <= 0 || power < 0 || warmupSteps < 0)
            throw new IllegalArgumentException("poly lr needs baseLr > 0, totalSteps > 0, power >= 0, warmupSteps >= 0");
    }

    public PolyLearningRate(double baseLr, long totalSteps, double power) {
        this(baseLr, totalSteps, power, 0);
    }

    public static PolyLearningRate of(double baseLr, long totalSteps) {
        return new PolyLearningRate(baseLr, totalSteps, 0.9);
    }

    /** Learning rate for the update made at {@code step} (0-based). */
    public double at(long step) {
        if (step >= totalSteps) return 0;
        double poly = baseLr * Math.pow(1.0 - (double) step / totalSteps, power);
        return step < warmupSteps ? poly * (step + 1) / warmupSteps : poly;
    }
}
