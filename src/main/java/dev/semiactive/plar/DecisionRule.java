package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;

import java.util.Locale;

/**
 * Decides, from a flagged pixel's distances to every class, which class PLAR assigns, or that the pixel
 * is undecided. Implementations must be stateless (or immutable) so one rule can serve many threads.
 */
public interface DecisionRule {
    /** Returned by {@link #decide} when the pixel is undecided. */
    int UNDECIDED = -1;

    /**
     * @param euclideanSq   squared Euclidean distance to each class mean; +infinity for non-candidates
     * @param mahalanobisSq squared Mahalanobis distance to each class; +infinity for non-candidates
     * @param stats         the statistics the distances came from (scales, candidate set)
     * @return the class to assign, or {@link #UNDECIDED}
     */
    int decide(double[] euclideanSq, double[] mahalanobisSq, ClassStatistics stats);

    /** Config name of the rule. */
    String name();

    /**
     * The rule called {@code name} with its default settings: {@code vote} ({@link VoteRule}, the
     * paper's) or {@code fusion} ({@link FusionRule}).
     */
    static DecisionRule byName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case VoteRule.NAME -> VoteRule.INSTANCE;
            case FusionRule.NAME -> FusionRule.builder().build();
            default -> throw new SemiactiveException("unknown PLAR rule '" + name + "': use vote or fusion");
        };
    }

    /** Index of the smallest finite value (first one on ties, so results are deterministic), or -1. */
    static int argmin(double[] v) {
        int best = -1;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            if (v[i] < bestValue) {
                bestValue = v[i];
                best = i;
            }
        }
        return best;
    }
}
