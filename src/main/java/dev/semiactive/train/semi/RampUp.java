package dev.semiactive.train.semi;

/**
 * The weight of the unsupervised terms (L_ts and L_cps) over the first steps of a run trained from scratch:
 * the sigmoid ramp-up of Laine &amp; Aila and Mean Teacher, {@code exp(-5 (1 - t)^2)} with {@code t =
 * step / rampUpSteps}, then 1.
 *
 * <p>Why: a Teacher (and a Friend) trained from scratch is confidently wrong in its first steps; at full
 * weight from step 0 the Student learns those labels (on CamVid at 1/8 labelled the supervised loss stayed
 * 30% above the supervised baseline's and whole classes were lost: BENCHMARKS.md, ablation). The ramp lets
 * the labelled pixels shape the networks first. It starts at exp(-5) = 0.0067, not 0, as the original does.
 * Not in the paper (SPEC is silent), off by default; presets that train from scratch turn it on.
 */
public final class RampUp {
    private RampUp() {
    }

    /** @return the weight at 0-based {@code step}; 1 when {@code rampUpSteps <= 0} or the ramp is over */
    public static double weight(long step, long rampUpSteps) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0");
        if (rampUpSteps <= 0 || step >= rampUpSteps) return 1.0;
        double phase = 1.0 - (double) step / rampUpSteps;
        return Math.exp(-5.0 * phase * phase);
    }
}
