package dev.semiactive.plar;

/**
 * The paper's discrete vote (default): e = argmin_c ||f - mu_c||, m = argmin_c Mahalanobis(f; mu_c,
 * Sigma_c); the pixel gets class e when e == m and is undecided otherwise. Ties within one metric go to
 * the smaller class id.
 */
public final class VoteRule implements DecisionRule {
    public static final String NAME = "vote";
    public static final VoteRule INSTANCE = new VoteRule();

    private VoteRule() {
    }

    @Override
    public int decide(double[] euclideanSq, double[] mahalanobisSq, ClassStatistics stats) {
        int e = DecisionRule.argmin(euclideanSq);
        int m = DecisionRule.argmin(mahalanobisSq);
        return e >= 0 && e == m ? e : UNDECIDED;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
