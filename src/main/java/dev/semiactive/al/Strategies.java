package dev.semiactive.al;

import dev.semiactive.SemiactiveException;

import java.util.BitSet;
import java.util.List;

/**
 * The strategies by name. Score formulas (region R, |R| its pixels, H(x) pixel entropy in nats,
 * p1 >= p2 the two largest class probabilities, U the undecided pixels from PLAR):
 * <ul>
 *   <li>{@code random}: seeded uniform draw per region id</li>
 *   <li>{@code entropy}: (1/|R|) sum_{x in R} H(x)</li>
 *   <li>{@code margin}: (1/|R|) sum_{x in R} (1 - (p1(x) - p2(x)))</li>
 *   <li>{@code coreset}: k-center greedy on region-pooled features (a set selection)</li>
 *   <li>{@code s4al}: entropy, top-k per image</li>
 *   <li>{@code tsf-plar}: (1/|R|) sum_{x in R and U} H(x): undecided pixels weighted by their entropy,
 *       normalised by region size; ties (e.g. regions with no undecided pixel) by mean entropy</li>
 *   <li>{@code tsf-plar-spread}: tsf-plar's score, top-k per image as s4al (beyond the SPEC: on CamVid
 *       tsf-plar put a round's 620 regions into 67 of 367 images, random into ~305; docs/active-learning.md)</li>
 * </ul>
 * Any of them can give a share of each round to random regions ({@code al.random_share}, {@link RandomShareStrategy});
 * the score-ranked ones can weigh scores by the labelled share of each region's predicted class
 * ({@code al.class_balance}, {@link ClassBalance}; the tie-break score too) and by the impurity of the classes predicted in
 * it ({@code al.impurity}, {@link RegionImpurity}; the tie-break score too), and can thin m x the allowance of their
 * best candidates to the allowance by k-center greedy on region features ({@code al.diversity}, {@link Diversity}).
 */
public final class Strategies {
    public static final List<String> NAMES = List.of("random", "entropy", "margin", "coreset", "s4al", "tsf-plar", "tsf-plar-spread");

    private Strategies() {
    }

    public static Strategy byName(String name, long seed) {
        return byName(name, StrategyOptions.defaults(seed));
    }

    /** The strategy {@code name}, with {@link StrategyOptions#randomShare} of each round drawn at random when above 0. */
    public static Strategy byName(String name, StrategyOptions o) {
        Strategy s = strategy(name, o);
        return o.randomShare() > 0 && !name.equals("random") ? new RandomShareStrategy(s, o.randomShare(), o.seed()) : s;
    }

    private static Strategy strategy(String name, StrategyOptions o) {
        double m = o.diversity();
        requireRanking(name, o.classWeights() != null, "class-balanced acquisition weighs scores", "al.class_balance");
        requireRanking(name, m > 0, "diverse thinning thins a score ranking", "al.diversity");
        requireRanking(name, o.impurity() > 0, "impurity-weighted acquisition weighs scores", "al.impurity");
        RegionScoring entropy = weighted(Strategies::meanEntropy, o);
        return switch (name) {
            case "random" -> new RankedStrategy(name, new RandomScoring(o.seed()), null);
            case "entropy" -> new RankedStrategy(name, entropy, null, m);
            case "margin" -> new RankedStrategy(name, weighted(Strategies::meanMargin, o), null, m);
            case "coreset" -> new CoresetStrategy(name, o.seed(), o.coresetMaxCandidates());
            case "s4al" -> new PerImageQuotaStrategy(name, entropy, null, o.s4alPerImage(), m);
            case "tsf-plar" -> new RankedStrategy(name, weighted(Strategies::undecidedEntropy, o), entropy, m);
            case "tsf-plar-spread" -> new PerImageQuotaStrategy(name, weighted(Strategies::undecidedEntropy, o), entropy, o.s4alPerImage(), m);
            default -> throw new SemiactiveException("unknown active-learning strategy '" + name + "': use one of " + String.join(", ", NAMES));
        };
    }

    /** Fails when an option that works on a score ranking ({@code what}, set by {@code key}) is on for random or coreset. */
    private static void requireRanking(String name, boolean on, String what, String key) {
        if (on && (name.equals("random") || name.equals("coreset")))
            throw new SemiactiveException(what + "; strategy '" + name + "' has none"
                    + (name.equals("coreset") && key.equals("al.diversity") ? " (it is k-center greedy already)" : "")
                    + ": use " + key + " with entropy, margin, s4al, tsf-plar or tsf-plar-spread");
    }

    /** {@code scoring} with the options' class weights and impurity weight, where set. */
    private static RegionScoring weighted(RegionScoring scoring, StrategyOptions o) {
        RegionScoring s = o.classWeights() == null ? scoring : ClassBalance.weighted(scoring, o.classWeights());
        return o.impurity() > 0 ? RegionImpurity.weighted(s, o.impurity()) : s;
    }

    /** entropy: mean pixel entropy per region. */
    public static double[] meanEntropy(PixelEvidence e, ImageRegions r) {
        return RegionReduction.mean(e.entropy(), r);
    }

    /** margin: mean of 1 - (p1 - p2) per region. */
    public static double[] meanMargin(PixelEvidence e, ImageRegions r) {
        return RegionReduction.mean(e.margin(), r);
    }

    /** tsf-plar: sum of the entropy of the region's undecided pixels / region size. */
    public static double[] undecidedEntropy(PixelEvidence e, ImageRegions r) {
        BitSet u = e.undecided();
        if (u == null) throw new IllegalStateException("tsf-plar needs PLAR's undecided mask for image " + e.imageId());
        return RegionReduction.mean(PixelScores.masked(e.entropy(), u), r);
    }
}
