package dev.semiactive.al;

/**
 * Settings shared by the strategies.
 *
 * @param seed                 seed of {@code random}, of coreset's candidate subsampling and of the random share
 * @param s4alPerImage         s4al's k (regions per image); 0 = derive from the allowance and pool size
 * @param coresetMaxCandidates most regions coreset keeps as candidates (memory and O(n) per pick)
 * @param randomShare          fraction of each round's allowance given to random regions ({@link RandomShareStrategy});
 *                             0 = the strategy alone
 */
public record StrategyOptions(long seed, int s4alPerImage, int coresetMaxCandidates, double randomShare) {
    public StrategyOptions(long seed, int s4alPerImage, int coresetMaxCandidates) {
        this(seed, s4alPerImage, coresetMaxCandidates, 0);
    }

    public static StrategyOptions defaults(long seed) {
        return new StrategyOptions(seed, 0, 20_000, 0);
    }

    public StrategyOptions withRandomShare(double share) {
        return new StrategyOptions(seed, s4alPerImage, coresetMaxCandidates, share);
    }
}
