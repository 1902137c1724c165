package dev.semiactive.al;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import static dev.semiactive.al.Fixtures.cells;
import static dev.semiactive.al.Fixtures.evidence;
import static dev.semiactive.al.Fixtures.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StrategiesTest {
    static final ImageRegions A = cells("A"), B = cells("B");
    static final String A0 = "A#g2:0:0", A1 = "A#g2:0:1", A2 = "A#g2:1:0", A3 = "A#g2:1:1";
    static final String B0 = "B#g2:0:0", B1 = "B#g2:0:1", B2 = "B#g2:1:0", B3 = "B#g2:1:1";

    static List<Selection> run(Strategy s, long allowance, Set<String> excluded, PixelEvidence ea, PixelEvidence eb) {
        RoundSelector sel = s.newRound(SelectionRequest.of(allowance, excluded));
        sel.accept(ea, A);
        sel.accept(eb, B);
        return sel.select();
    }

    @Test
    void entropyRanksByMeanPixelEntropy() {
        PixelEvidence ea = evidence(A, 0.5, 0.9, 0.6, 0.99), eb = evidence(B, 0.7, 0.55, 0.95, 0.8);
        List<Selection> all = run(Strategies.byName("entropy", 1), 32, Set.of(), ea, eb);
        assertThat(ids(all)).containsExactly(A0, B1, A2, B0, B3, A1, B2, A3);
        assertThat(all.get(0).score()).isCloseTo(Math.log(2), within(1e-6));
        assertThat(all).extracting(Selection::rank).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        // 3 regions of 4 px fit in 13 px; an excluded (already labelled) region is never picked
        assertThat(ids(run(Strategies.byName("entropy", 1), 13, Set.of(), ea, eb))).containsExactly(A0, B1, A2);
        assertThat(ids(run(Strategies.byName("entropy", 1), 12, Set.of(A0), ea, eb))).containsExactly(B1, A2, B0);
        assertThat(run(Strategies.byName("entropy", 1), 3, Set.of(), ea, eb)).isEmpty();
    }

    @Test
    void marginDiffersFromEntropyWhenTwoClassesTie() {
        // 3 classes. Region 0: (0.5, 0.5, 0): margin 1 - 0 = 1, entropy ln 2 = 0.69.
        // Region 1: (0.4, 0.3, 0.3): margin 1 - 0.1 = 0.9, entropy 1.09. Regions 2, 3: confident.
        double[][] p = {{0.5, 0.5, 0}, {0.4, 0.3, 0.3}, {0.98, 0.01, 0.01}, {0.9, 0.05, 0.05}};
        int n = 16;
        float[] khw = new float[3 * n];
        for (int px = 0; px < n; px++) for (int c = 0; c < 3; c++) khw[c * n + px] = (float) p[A.labelMap()[px]][c];
        PixelEvidence ea = PixelEvidence.builder().setImage("A", 4, 4).optProbabilities(khw, 3).build();
        RoundSelector m = Strategies.byName("margin", 1).newRound(SelectionRequest.of(16, Set.of()));
        m.accept(ea, A);
        List<Selection> ms = m.select();
        assertThat(ids(ms)).containsExactly(A0, A1, A3, A2);
        assertThat(ms.get(0).score()).isCloseTo(1.0, within(1e-6));
        assertThat(ms.get(1).score()).isCloseTo(0.9, within(1e-6));
        RoundSelector e = Strategies.byName("entropy", 1).newRound(SelectionRequest.of(16, Set.of()));
        e.accept(ea, A);
        assertThat(ids(e.select())).containsExactly(A1, A0, A3, A2);
    }

    @Test
    void precomputedMapsWorkWithoutProbabilities() {
        float[] ent = new float[16];
        for (int px = 0; px < 16; px++) ent[px] = A.labelMap()[px] == 2 ? 2f : 0.1f;
        RoundSelector s = Strategies.byName("entropy", 1).newRound(SelectionRequest.of(4, Set.of()));
        s.accept(PixelEvidence.builder().setImage("A", 4, 4).optEntropy(ent).build(), A);
        assertThat(ids(s.select())).containsExactly(A2);
        RoundSelector bad = Strategies.byName("margin", 1).newRound(SelectionRequest.of(4, Set.of()));
        assertThatThrownBy(() -> bad.accept(PixelEvidence.builder().setImage("A", 4, 4).optEntropy(ent).build(), A))
            .hasMessageContaining("margin");
    }

    @Test
    void s4alTakesTopKInEveryImage() {
        // A is uncertain everywhere, B is confident: global entropy would take only A's regions
        PixelEvidence ea = evidence(A, 0.5, 0.52, 0.54, 0.99), eb = evidence(B, 0.9, 0.95, 0.97, 0.99);
        assertThat(ids(run(Strategies.byName("entropy", 1), 12, Set.of(), ea, eb))).containsExactly(A0, A1, A2);
        Strategy s4al = Strategies.byName("s4al", new StrategyOptions(1, 2, 100));
        // k = 2: ranks 0 of every image first (A0, B0), then ranks 1 (A1 before B1)
        assertThat(ids(run(s4al, 12, Set.of(), ea, eb))).containsExactly(A0, B0, A1);
        assertThat(ids(run(s4al, 100, Set.of(), ea, eb))).containsExactly(A0, B0, A1, B1);
        Strategy k1 = Strategies.byName("s4al", new StrategyOptions(1, 1, 100));
        assertThat(ids(run(k1, 100, Set.of(), ea, eb))).containsExactly(A0, B0);
        // excluded regions do not use up an image's quota
        assertThat(ids(run(k1, 100, Set.of(B0), ea, eb))).containsExactly(A0, B1);
        // derived quota: 16 px over 2 images of 4-px regions -> k = 2
        RoundSelector auto = Strategies.byName("s4al", 1).newRound(SelectionRequest.of(16, Set.of()).withPoolImages(2));
        auto.accept(ea, A);
        auto.accept(eb, B);
        assertThat(ids(auto.select())).containsExactly(A0, B0, A1, B1);
    }

    @Test
    void tsfPlarRanksUndecidedPixelsWeightedByEntropy() {
        // A0: all 4 px undecided but fairly confident (p = 0.9): (4 * 0.325) / 4 = 0.325
        // A1: uncertain (p = 0.5), 1 px undecided: 0.693 / 4 = 0.173
        // A2: uncertain, nothing undecided: 0 (tie broken by mean entropy 0.693); A3: confident, 0
        PixelEvidence.Builder b = PixelEvidence.builder().setImage("A", 4, 4).optProbabilities(Fixtures.twoClass(A, 0.9, 0.5, 0.5, 0.99), 2);
        BitSet und = new BitSet();
        for (int p : A.pixels(0)) und.set(p);
        und.set(A.pixels(1)[2]);
        RoundSelector s = Strategies.byName("tsf-plar", 1).newRound(SelectionRequest.of(16, Set.of()));
        s.accept(b.optUndecided(und).build(), A);
        List<Selection> out = s.select();
        assertThat(ids(out)).containsExactly(A0, A1, A2, A3);
        double h09 = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1));
        assertThat(out.get(0).score()).isCloseTo(h09, within(1e-5));
        assertThat(out.get(1).score()).isCloseTo(Math.log(2) / 4, within(1e-5));
        // plain entropy would put A1 and A2 (p = 0.5) first
        RoundSelector e = Strategies.byName("entropy", 1).newRound(SelectionRequest.of(16, Set.of()));
        e.accept(b.build(), A);
        assertThat(ids(e.select()).subList(0, 2)).containsExactly(A1, A2);
        RoundSelector noMask = Strategies.byName("tsf-plar", 1).newRound(SelectionRequest.of(16, Set.of()));
        assertThatThrownBy(() -> noMask.accept(PixelEvidence.builder().setImage("A", 4, 4)
            .optProbabilities(Fixtures.twoClass(A, 0.9, 0.5, 0.5, 0.99), 2).build(), A)).hasMessageContaining("undecided");
    }

    @Test
    void tsfPlarSpreadTakesTsfPlarsBestRegionsOfEveryImage() {
        // A: every pixel undecided and uncertain; B: one undecided pixel in B2 only (B0, B1, B3 tie at 0 and
        // are ordered by mean entropy: B1 most uncertain). tsf-plar ranks all of A first; the spread variant
        // takes each image's best, then each image's second best.
        PixelEvidence.Builder a = PixelEvidence.builder().setImage("A", 4, 4).optProbabilities(Fixtures.twoClass(A, 0.5, 0.55, 0.6, 0.65), 2);
        BitSet undA = new BitSet();
        undA.set(0, 16);
        PixelEvidence.Builder b = PixelEvidence.builder().setImage("B", 4, 4).optProbabilities(Fixtures.twoClass(B, 0.95, 0.7, 0.9, 0.99), 2);
        BitSet undB = new BitSet();
        undB.set(B.pixels(2)[0]);
        PixelEvidence ea = a.optUndecided(undA).build(), eb = b.optUndecided(undB).build();
        assertThat(ids(run(Strategies.byName("tsf-plar", 1), 12, Set.of(), ea, eb))).containsExactly(A0, A1, A2);
        Strategy spread = Strategies.byName("tsf-plar-spread", new StrategyOptions(1, 2, 100));
        assertThat(ids(run(spread, 12, Set.of(), ea, eb))).containsExactly(A0, B2, A1);
        // B's second: no undecided pixel left, so mean entropy decides (B1, p = 0.7)
        assertThat(ids(run(spread, 100, Set.of(), ea, eb))).containsExactly(A0, B2, A1, B1);
        assertThat(ids(run(spread, 100, Set.of(B2), ea, eb))).containsExactly(A0, B1, A1, B0);
    }

    @Test
    void randomShareGivesTheRestOfTheAllowanceToRandomRegionsTheStrategyDidNotTake() {
        // entropy alone takes A's regions (A uncertain, B confident)
        PixelEvidence ea = evidence(A, 0.5, 0.52, 0.54, 0.56), eb = evidence(B, 0.9, 0.95, 0.97, 0.99);
        assertThat(ids(run(Strategies.byName("entropy", 1), 16, Set.of(), ea, eb))).containsExactly(A0, A1, A2, A3);
        // share 0.5 of 16 px: entropy ranks with 8 px (A0, A1), random draws 8 px more among the other six
        Strategy mixed = Strategies.byName("entropy", new StrategyOptions(7, 0, 100, 0.5));
        assertThat(mixed).isInstanceOf(RandomShareStrategy.class);
        assertThat(mixed.name()).isEqualTo("entropy");
        List<Selection> out = run(mixed, 16, Set.of(B3), ea, eb);
        assertThat(ids(out).subList(0, 2)).containsExactly(A0, A1);
        assertThat(out).hasSize(4).extracting(Selection::rank).containsExactly(0, 1, 2, 3);
        assertThat(ids(out)).doesNotHaveDuplicates().doesNotContain(B3);
        // the random part is random's own order over what is left (same seed), so it depends on the seed, not on entropy
        List<String> drawn = ids(run(Strategies.byName("random", 7), 100, Set.of(A0, A1, B3), ea, eb));
        assertThat(ids(out).subList(2, 4)).containsExactlyElementsOf(drawn.subList(0, 2));
        // reproducible; share 0 is the strategy itself; random with a share is plain random
        assertThat(ids(run(Strategies.byName("entropy", new StrategyOptions(7, 0, 100, 0.5)), 16, Set.of(B3), ea, eb))).isEqualTo(ids(out));
        assertThat(Strategies.byName("entropy", new StrategyOptions(7, 0, 100, 0))).isInstanceOf(RankedStrategy.class);
        assertThat(Strategies.byName("random", new StrategyOptions(7, 0, 100, 0.5))).isInstanceOf(RankedStrategy.class);
        assertThatThrownBy(() -> new RandomShareStrategy(Strategies.byName("entropy", 1), 1.0, 7)).hasMessageContaining("[0, 1)");
    }

    @Test
    void classWeightsFollowTheLabelledShares() {
        // K = 4, 1/K = 0.25; shares 0.5, 0.5, 0, 0
        double[] w = ClassBalance.weights(new long[]{10, 10, 0, 0}, 1);
        assertThat(w).containsExactly(new double[]{1 / 0.75, 1 / 0.75, 4, 4}, within(1e-12));
        assertThat(ClassBalance.weights(new long[]{10, 10, 0, 0}, 0)).containsExactly(1, 1, 1, 1);
        assertThat(ClassBalance.weights(new long[]{0, 0, 0}, 0.5)).containsExactly(new double[]{Math.sqrt(3), Math.sqrt(3), Math.sqrt(3)}, within(1e-12));
        assertThatThrownBy(() -> ClassBalance.weights(new long[]{1}, -1)).hasMessageContaining("exponent");
    }

    @Test
    void classBalanceWeighsEachRegionByItsMajorityPredictedClass() {
        // two classes: cells 0 and 1 predicted class 0 (p0 > 0.5), cells 2 and 3 class 1; cell 0 the most uncertain
        PixelEvidence ea = evidence(A, 0.55, 0.9, 0.3, 0.45);
        assertThat(RegionReduction.majority(ea.prediction(), 2, A)).containsExactly(0, 0, 1, 1);
        assertThat(ids(run(Strategies.byName("entropy", 1), 8, Set.of(), ea, evidence(B, 1, 1, 1, 1)))).containsExactly(A0, A3);
        // class 0 holds all the labels so far: its regions weigh (1 + 1/2)^-1, class 1's (0 + 1/2)^-1, three times as much
        double[] w = ClassBalance.weights(new long[]{100, 0}, 1);
        Strategy balanced = Strategies.byName("entropy", StrategyOptions.defaults(1).withClassWeights(w));
        List<Selection> out = run(balanced, 8, Set.of(), ea, evidence(B, 1, 1, 1, 1));
        assertThat(ids(out)).containsExactly(A3, A2);
        double h3 = -(0.45 * Math.log(0.45) + 0.55 * Math.log(0.55));
        assertThat(out.get(0).score()).isCloseTo(h3 * 2, within(1e-5));
        assertThatThrownBy(() -> Strategies.byName("random", StrategyOptions.defaults(1).withClassWeights(w)))
            .isInstanceOf(SemiactiveException.class).hasMessageContaining("strategy 'random' has none");
        // the weights must match the evidence's classes
        RoundSelector three = Strategies.byName("entropy", StrategyOptions.defaults(1).withClassWeights(new double[]{1, 1, 1}))
            .newRound(SelectionRequest.of(8, Set.of()));
        assertThatThrownBy(() -> three.accept(ea, A)).hasMessageContaining("evidence has 2 classes, the weights 3");
    }

    @Test
    void impurityIsTheNormalisedEntropyOfTheClassesInARegion() {
        // 3 classes over A's 2x2 cells: cell 0 all class 0; cell 1 two 0s, a 1 and a 2; cell 2 evenly 0 and 1; cell 3 all 2
        int[] cls = new int[16];
        int[][] byCell = {{0, 0, 0, 0}, {0, 0, 1, 2}, {0, 1, 0, 1}, {2, 2, 2, 2}};
        int[] seen = new int[4];
        for (int p = 0; p < 16; p++) {
            int r = A.labelMap()[p];
            cls[p] = byCell[r][seen[r]++];
        }
        double[] imp = RegionReduction.impurity(cls, 3, A);
        double ln3 = Math.log(3);
        assertThat(imp).containsExactly(new double[]{0, -(0.5 * Math.log(0.5) + 0.5 * Math.log(0.25)) / ln3,
                Math.log(2) / ln3, 0}, within(1e-12));
        assertThat(RegionReduction.impurity(new int[]{0, 1, 2, 3}, 4, Fixtures.runs("R", List.of(4)))).containsExactly(1.0);
        assertThatThrownBy(() -> RegionReduction.impurity(new int[3], 3, A)).hasMessageContaining("3 pixels but its regions cover 16");
    }

    @Test
    void impurityWeightingPrefersRegionsWhereClassesMeet() {
        // two classes; cell A0 pure but the most uncertain (p0 = 0.55 everywhere), cell A1 mixed: three pixels of class 0
        // (p0 = 0.65), one of class 1 (p0 = 0.35), so every pixel is as uncertain and the impurity is H(3/4) / ln 2;
        // A2 and A3 confident and pure
        double[] p0 = new double[16];
        int[] seen = new int[4];
        for (int p = 0; p < 16; p++) {
            int r = A.labelMap()[p];
            p0[p] = switch (r) {
                case 0 -> 0.55;
                case 1 -> seen[1]++ < 3 ? 0.65 : 0.35;
                default -> 0.99;
            };
        }
        float[] khw = new float[32];
        for (int p = 0; p < 16; p++) {
            khw[p] = (float) p0[p];
            khw[16 + p] = (float) (1 - p0[p]);
        }
        PixelEvidence ea = PixelEvidence.builder().setImage("A", 4, 4).optProbabilities(khw, 2).build();
        RoundSelector plain = Strategies.byName("entropy", 1).newRound(SelectionRequest.of(4, Set.of()));
        plain.accept(ea, A);
        assertThat(ids(plain.select())).containsExactly(A0);
        double h = -(0.65 * Math.log(0.65) + 0.35 * Math.log(0.35));
        double impurity = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)) / Math.log(2);
        assertThat(RegionReduction.impurity(ea.prediction(), 2, A)[1]).isCloseTo(impurity, within(1e-12));
        RoundSelector impure = Strategies.byName("entropy", StrategyOptions.defaults(1).withImpurity(1)).newRound(SelectionRequest.of(16, Set.of()));
        impure.accept(ea, A);
        List<Selection> out = impure.select();
        assertThat(ids(out).get(0)).isEqualTo(A1);
        assertThat(out.get(0).score()).isCloseTo(h * impurity, within(1e-5));
        assertThat(out.get(1).score()).isCloseTo(0, within(1e-12)); // pure cells weigh 0, however uncertain
        // with class weights too, both apply: the exponent 2 squares the impurity, A1's majority class (0) weighs 3
        RoundSelector both = Strategies.byName("entropy", StrategyOptions.defaults(1).withClassWeights(new double[]{3, 1}).withImpurity(2))
            .newRound(SelectionRequest.of(4, Set.of()));
        both.accept(ea, A);
        List<Selection> b = both.select();
        assertThat(ids(b)).containsExactly(A1);
        assertThat(b.get(0).score()).isCloseTo(h * 3 * impurity * impurity, within(1e-5));
        assertThatThrownBy(() -> Strategies.byName("coreset", StrategyOptions.defaults(1).withImpurity(1)))
            .isInstanceOf(SemiactiveException.class).hasMessage("impurity-weighted acquisition weighs scores; strategy 'coreset' has none: "
                + "use al.impurity with entropy, margin, s4al, tsf-plar or tsf-plar-spread");
        assertThatThrownBy(() -> Strategies.byName("coreset", StrategyOptions.defaults(1).withDiversity(3)))
            .hasMessageContaining("strategy 'coreset' has none (it is k-center greedy already): use al.diversity with");
        assertThatThrownBy(() -> RegionImpurity.weighted(Strategies::meanEntropy, 0)).hasMessageContaining("must be > 0");
    }

    @Test
    void argmaxTakesTheLowestClassOnATie() {
        // 3 classes, 2 pixels: pixel 0 (0.2, 0.4, 0.4) -> 1, pixel 1 (0.5, 0.2, 0.3) -> 0
        assertThat(PixelScores.argmax(new float[]{0.2f, 0.5f, 0.4f, 0.2f, 0.4f, 0.3f}, 3, 2)).containsExactly(1, 0);
    }

    @Test
    void coresetPicksTheFarthestPointFirstAndSkipsNearDuplicates() {
        // A0 is labelled, at the origin. Candidates A1 (1,0), A2 (5,0), A3 (0,3); B0 (4.9,0.2) is far from
        // the origin but next to A2, so once A2 is picked it is worth nothing.
        float[][] fa = {{0, 0}, {1, 0}, {5, 0}, {0, 3}};
        float[][] fb = {{4.9f, 0.2f}, {0.1f, 0.1f}, {0.2f, 0.1f}, {0.1f, 0.2f}}; // B1..B3 sit near the labelled origin
        PixelEvidence ea = PixelEvidence.builder().setImage("A", 4, 4).optRegionFeatures(fa).build();
        PixelEvidence eb = PixelEvidence.builder().setImage("B", 4, 4).optRegionFeatures(fb).build();
        List<Selection> out = run(Strategies.byName("coreset", 1), 12, Set.of(A0), ea, eb);
        assertThat(ids(out)).containsExactly(A2, A3, A1);
        assertThat(out.get(0).score()).isCloseTo(5, within(1e-6));
        assertThat(out.get(1).score()).isCloseTo(3, within(1e-6));
        assertThat(out.get(2).score()).isCloseTo(1, within(1e-6));
    }

    @Test
    void coresetWithoutLabelsStartsFarthestFromTheMean() {
        float[][] fa = {{0, 0}, {0.1f, 0}, {0, 0.1f}, {10, 10}};
        float[][] fb = {{0.1f, 0.1f}, {0.05f, 0}, {0, 0.05f}, {0.02f, 0.02f}};
        PixelEvidence ea = PixelEvidence.builder().setImage("A", 4, 4).optRegionFeatures(fa).build();
        PixelEvidence eb = PixelEvidence.builder().setImage("B", 4, 4).optRegionFeatures(fb).build();
        assertThat(ids(run(Strategies.byName("coreset", 1), 4, Set.of(), ea, eb))).containsExactly(A3);
        assertThatThrownBy(() -> run(Strategies.byName("coreset", 1), 4, Set.of(),
            PixelEvidence.empty("A", 4, 4), eb)).hasMessageContaining("pooled feature");
    }

    @Test
    void randomIsSeededAndIndependentOfStreamingOrder() {
        List<ImageRegions> pool = new ArrayList<>();
        for (int i = 0; i < 6; i++) pool.add(new RegionGrid(4).regionize("img" + i, 16, 16));
        List<String> fwd = randomPick(7, pool), again = randomPick(7, pool), other = randomPick(8, pool);
        List<ImageRegions> rev = new ArrayList<>(pool);
        java.util.Collections.reverse(rev);
        assertThat(fwd).hasSize(10).doesNotHaveDuplicates().isEqualTo(again).isEqualTo(randomPick(7, rev));
        assertThat(other).isNotEqualTo(fwd);
        // spread over images rather than the first ones streamed
        assertThat(fwd.stream().map(RegionIds::imageIdOf).distinct().count()).isGreaterThan(2);
    }

    private static List<String> randomPick(long seed, List<ImageRegions> pool) {
        RoundSelector s = Strategies.byName("random", seed).newRound(SelectionRequest.of(160, Set.of()));
        for (ImageRegions r : pool) s.accept(PixelEvidence.empty(r.imageId(), r.width(), r.height()), r);
        return ids(s.select());
    }

    @Test
    void unknownNameIsAOneLineError() {
        assertThatThrownBy(() -> Strategies.byName("bald", 1)).isInstanceOf(SemiactiveException.class)
            .hasMessage("unknown active-learning strategy 'bald': use one of random, entropy, margin, coreset, s4al, tsf-plar, tsf-plar-spread");
    }

    @Test
    void evidenceMustMatchItsRegions() {
        RoundSelector s = Strategies.byName("entropy", 1).newRound(SelectionRequest.of(16, Set.of()));
        assertThatThrownBy(() -> s.accept(evidence(B, 0.5, 0.5, 0.5, 0.5), A)).hasMessageContaining("does not match");
    }
}
