package dev.semiactive.plar;

/**
 * The paper's discrete vote (default): e = argmin_c ||f - mu_c||, m = argmin_c Mahalanobis(f; mu_c,
 * Sigma_c); the pixel gets class e when e == m and is undecided otherwise. Ties within one metric go to
 * the smaller class id.
 *
 * <p>Beyond the paper, an optional margin ({@code plar.margin}, default 0 = the paper's rule): the winner
 * must also be clearly ahead in both metrics, its distance at most {@code 1 - margin} times the runner-up's
 * (distances, not squared). Why: on CamVid the vote's accuracy was far below the seed's 85% (BENCHMARKS.md);
 * pixels the two metrics agree on by a hair are the ones it gets wrong, and an undecided pixel costs only a
 * manual label, where a wrong refined one trains the Student on an error.
 */
public final class VoteRule implements DecisionRule {
    public static final String NAME = "vote";
    public static final VoteRule INSTANCE = new VoteRule(0);

    private final double margin;
    /** (1 - margin)^2: the bound on the ratio of squared distances. */
    private final double maxSquaredRatio;

    private VoteRule(double margin) {
        this.margin = margin;
        this.maxSquaredRatio = (1 - margin) * (1 - margin);
    }

    /** The vote with a relative distance margin in [0, 1): 0 is {@link #INSTANCE}. */
    public static VoteRule withMargin(double margin) {
        if (!(margin >= 0 && margin < 1)) throw new IllegalArgumentException("PLAR margin must be in [0, 1), got " + margin);
        return margin == 0 ? INSTANCE : new VoteRule(margin);
    }

    public double margin() {
        return margin;
    }

    @Override
    public int decide(double[] euclideanSq, double[] mahalanobisSq, ClassStatistics stats) {
        int e = DecisionRule.argmin(euclideanSq);
        int m = DecisionRule.argmin(mahalanobisSq);
        if (e < 0 || e != m) return UNDECIDED;
        if (margin > 0 && !(clearlyAhead(euclideanSq, e) && clearlyAhead(mahalanobisSq, e))) return UNDECIDED;
        return e;
    }

    /** True when {@code v[winner]} is at most (1 - margin)^2 times every other finite value (none: true). */
    private boolean clearlyAhead(double[] v, int winner) {
        double best = v[winner];
        for (int i = 0; i < v.length; i++)
            if (i != winner && v[i] < Double.POSITIVE_INFINITY && best > maxSquaredRatio * v[i]) return false;
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return margin == 0 ? NAME : NAME + "(margin " + margin + ")";
    }
}
