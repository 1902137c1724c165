package dev.semiactive.al;

/**
 * Settings shared by the strategies.
 *
 * @param seed                 seed of {@code random}, of coreset's candidate subsampling and of the random share
 * @param s4alPerImage         s4al's k (regions per image); 0 = derive from the allowance and pool size
 * @param coresetMaxCandidates most regions coreset keeps as candidates (memory and O(n) per pick)
 * @param randomShare          fraction of each round's allowance given to random regions ({@link RandomShareStrategy});
 *                             0 = the strategy alone
 * @param classWeights         per-class weights of the score-ranked strategies ({@link ClassBalance}), or null for none
 * @param diversity            the score-ranked strategies' candidate multiplier m for diverse thinning ({@link Diversity});
 *                             0 = the ranking alone
 * @param impurity             exponent b of the score-ranked strategies' impurity weight I^b ({@link RegionImpurity});
 *                             0 = off
 */
public record StrategyOptions(long seed, int s4alPerImage, int coresetMaxCandidates, double randomShare, double[] classWeights,
                              double diversity, double impurity) {
    public StrategyOptions(long seed, int s4alPerImage, int coresetMaxCandidates) {
        this(seed, s4alPerImage, coresetMaxCandidates, 0, null, 0, 0);
    }

    public StrategyOptions(long seed, int s4alPerImage, int coresetMaxCandidates, double randomShare) {
        this(seed, s4alPerImage, coresetMaxCandidates, randomShare, null, 0, 0);
    }

    public static StrategyOptions defaults(long seed) {
        return new StrategyOptions(seed, 0, 20_000, 0, null, 0, 0);
    }

    public StrategyOptions withRandomShare(double share) {
        return new StrategyOptions(seed, s4alPerImage, coresetMaxCandidates, share, classWeights, diversity, impurity);
    }

    public StrategyOptions withClassWeights(double[] weights) {
        return new StrategyOptions(seed, s4alPerImage, coresetMaxCandidates, randomShare, weights == null ? null : weights.clone(), diversity, impurity);
    }

    public StrategyOptions withDiversity(double multiplier) {
        return new StrategyOptions(seed, s4alPerImage, coresetMaxCandidates, randomShare, classWeights, multiplier, impurity);
    }

    public StrategyOptions withImpurity(double exponent) {
        return new StrategyOptions(seed, s4alPerImage, coresetMaxCandidates, randomShare, classWeights, diversity, exponent);
    }
}
