package dev.semiactive.al;

/**
 * Settings shared by the strategies.
 *
 * @param seed                 seed of {@code random} and of coreset's candidate subsampling
 * @param s4alPerImage         s4al's k (regions per image); 0 = derive from the allowance and pool size
 * @param coresetMaxCandidates most regions coreset keeps as candidates (memory and O(n) per pick)
 */
public record StrategyOptions(long seed, int s4alPerImage, int coresetMaxCandidates) {
    public static StrategyOptions defaults(long seed) {
        return new StrategyOptions(seed, 0, 20_000);
    }
}
