package dev.semiactive.train;

/**
 * The "poly" schedule of DeepLab: lr(step) = base * (1 - step / totalSteps)^power, 0 from totalSteps on.
 *
 * @param baseLr     learning rate at step 0
 * @param totalSteps steps of the whole run (not of a resumed part)
 * @param power      0.9 in DeepLab
 */
public record PolyLearningRate(double baseLr, long totalSteps, double power) {
    public PolyLearningRate {
        if (baseLr <= 0 || totalSteps <= 0 || power < 0)
            throw new IllegalArgumentException("poly lr needs baseLr > 0, totalSteps > 0, power >= 0");
    }

    public static PolyLearningRate of(double baseLr, long totalSteps) {
        return new PolyLearningRate(baseLr, totalSteps, 0.9);
    }

    /** Learning rate for the update made at {@code step} (0-based). */
    public double at(long step) {
        if (step >= totalSteps) return 0;
        return baseLr * Math.pow(1.0 - (double) step / totalSteps, power);
    }
}
