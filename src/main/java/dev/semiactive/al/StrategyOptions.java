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
 */
public record StrategyOptions(long seed, int s4alPerImage, int coresetMaxCandidates, double randomShare, double[] classWeights) {
    public StrategyOptions(long seed, int s4alPerImage, int coresetMaxCandidates) {
        this(seed, s4alPerImage, coresetMaxCandidates, 0, null);
    }

    public StrategyOptions(long seed, int s4alPerImage, int coresetMaxCandidates, double randomShare) {
        this(seed, s4alPerImage, coresetMaxCandidates, randomShare, null);
    }

    public static StrategyOptions defaults(long seed) {
        return new StrategyOptions(seed, 0, 20_000, 0, null);
    }

    public StrategyOptions withRandomShare(double share) {
        return new StrategyOptions(seed, s4alPerImage, coresetMaxCandidates, share, classWeights);
    }

    public StrategyOptions withClassWeights(double[] weights) {
        return new StrategyOptions(seed, s4alPerImage, coresetMaxCandidates, randomShare, weights == null ? null : weights.clone());
    }
}
