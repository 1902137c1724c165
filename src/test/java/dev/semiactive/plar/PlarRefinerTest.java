package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.semiactive.plar.GaussianClusters.all;
import static dev.semiactive.plar.GaussianClusters.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlarRefinerTest {
    private static final GaussianClusters SEPARATED = GaussianClusters.separated(4, 16, 12, 1);
    private static final ClassStatistics SEPARATED_STATS = SEPARATED.accumulate(10, 16, 16, 1).build();

    private static int[] shifted(int[] truth, int k) {
        int[] wrong = new int[truth.length];
        for (int p = 0; p < truth.length; p++) wrong[p] = (truth[p] + 1) % k;
        return wrong;
    }

    @Test
    void wellSeparatedClassesAreAllRefinedCorrectly() {
        GaussianClusters.Image im = SEPARATED.image(16, 16, new Random(2));
        int hw = 256;
        for (DecisionRule rule : new DecisionRule[]{DecisionRule.byName("vote"), DecisionRule.byName("fusion")}) {
            PlarRefiner refiner = PlarRefiner.builder().setStatistics(SEPARATED_STATS).optRule(rule).build();
            // The teacher is wrong everywhere and the error mask flags everything.
            RefinementResult r = refiner.refine(im.features(), shifted(im.truth(), 4), all(hw, true), null);
            assertThat(r.refined()).as(rule.name()).isEqualTo(hw);
            assertThat(r.undecided()).isZero();
            assertThat(r.labels()).containsExactly(im.truth());
            assertThat(r.corrected()).isEqualTo(hw);
            RefinementMetrics m = new RefinementMetrics(4);
            m.add(r, im.truth());
            assertThat(m.accuracy()).isEqualTo(1.0);
            assertThat(m.teacherAccuracy()).isEqualTo(0.0);
        }
    }

    @Test
    void heavilyOverlappingClassesAreMostlyUndecided() {
        GaussianClusters overlap = GaussianClusters.overlapping(4, 8, 11);
        ClassStatistics stats = overlap.accumulate(20, 16, 16, 3).build();
        GaussianClusters.Image im = overlap.image(32, 32, new Random(4));
        for (DecisionRule rule : new DecisionRule[]{VoteRule.INSTANCE, FusionRule.builder().build()}) {
            RefinementResult r = PlarRefiner.builder().setStatistics(stats).optRule(rule).build()
                    .refine(im.features(), im.truth(), all(1024, true), null);
            assertThat(r.undecidedFraction()).as(rule.name()).isGreaterThan(0.6);
        }
    }

    @Test
    void onlyFlaggedUnlabelledPixelsAreTouched() {
        GaussianClusters.Image im = SEPARATED.image(8, 8, new Random(5));
        int[] pseudo = shifted(im.truth(), 4);
        boolean[] flags = new boolean[64];
        int[] existing = filled(64, 255);
        for (int p = 0; p < 64; p++) {
            flags[p] = p % 2 == 0;
            if (p % 3 == 0) existing[p] = 3; // labelled (deliberately "wrong" class: must survive)
        }
        RefinementResult r = PlarRefiner.builder().setStatistics(SEPARATED_STATS).build().refine(im.features(), pseudo, flags, existing);
        int[] labels = r.labels(), target = r.trainingTarget();
        for (int p = 0; p < 64; p++) {
            if (p % 3 == 0) {
                assertThat(r.status(p)).isEqualTo(PixelStatus.LABELLED);
                assertThat(labels[p]).isEqualTo(3);
                assertThat(target[p]).isEqualTo(3);
            } else if (p % 2 == 1) {
                assertThat(r.status(p)).isEqualTo(PixelStatus.UNFLAGGED);
                assertThat(labels[p]).isEqualTo(255);
                assertThat(target[p]).isEqualTo(pseudo[p]);
            } else {
                assertThat(r.status(p)).isEqualTo(PixelStatus.REFINED);
                assertThat(labels[p]).isEqualTo(im.truth()[p]);
            }
        }
        assertThat(r.flagged()).isEqualTo(32);
        assertThat(r.flaggedLabelled()).isEqualTo(11); // even multiples of 3 below 64: 0, 6, ..., 60
        assertThat(r.candidates()).isEqualTo(21);
    }

    @Test
    void fusionLeavesStronglyDisagreeingMetricsUndecided() {
        // Class 0 tight at the origin, class 1 wide at x = 20, classes 2..4 tight and far away (they keep
        // the pooled variance small, so the Euclidean softmax is confident). At x = 6 Euclidean says 0
        // (36 vs 196) and Mahalanobis says 1 (36 vs ~2): both confident, opposite.
        double[][] means = {{0, 0}, {20, 0}, {0, 100}, {100, 100}, {-100, 0}};
        GaussianClusters c = GaussianClusters.isotropic(means, new double[]{1, 10, 1, 1, 1});
        ClassStatistics stats = c.accumulate(30, 16, 16, 6).build();
        FeatureMap probe = new FeatureMap(2, 1, 1, new float[]{6, 0});
        int[] pseudo = {0};
        boolean[] flag = {true};
        double[] e = new double[5], m = new double[5];
        stats.distances(new double[]{6, 0}, e, m, stats.newWorkspace());
        assertThat(DecisionRule.argmin(e)).isEqualTo(0);
        assertThat(DecisionRule.argmin(m)).isEqualTo(1);

        assertThat(refineOne(stats, VoteRule.INSTANCE, probe, pseudo, flag)).isEqualTo(PixelStatus.UNDECIDED);
        assertThat(refineOne(stats, FusionRule.builder().build(), probe, pseudo, flag)).isEqualTo(PixelStatus.UNDECIDED);
        // The product of experts is overconfident here: it picks a winner (documented in FusionRule).
        RefinementResult geo = PlarRefiner.builder().setStatistics(stats)
                .optRule(FusionRule.builder().optPool(FusionRule.Pool.GEOMETRIC).build()).build()
                .refine(probe, pseudo, flag, null);
        assertThat(geo.status(0)).isEqualTo(PixelStatus.REFINED);
        // A pixel right at class 0's mean: both agree, fusion refines it.
        FeatureMap atZero = new FeatureMap(2, 1, 1, new float[]{0.1f, 0});
        assertThat(refineOne(stats, FusionRule.builder().build(), atZero, pseudo, flag)).isEqualTo(PixelStatus.REFINED);
        // A huge temperature flattens both distributions below any threshold > 1/K.
        assertThat(refineOne(stats, FusionRule.builder().optTemperature(1e9).build(), atZero, pseudo, flag))
                .isEqualTo(PixelStatus.UNDECIDED);
    }

    private static PixelStatus refineOne(ClassStatistics stats, DecisionRule rule, FeatureMap f, int[] pseudo, boolean[] flag) {
        return PlarRefiner.builder().setStatistics(stats).optRule(rule).build().refine(f, pseudo, flag, null).status(0);
    }

    @Test
    void classWithTooFewPixelsIsNeverPredicted() {
        // Class 3 gets only 5 labelled pixels: not a candidate.
        Random r = new Random(7);
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(4).build();
        for (int i = 0; i < 5; i++) {
            GaussianClusters.Image im = SEPARATED.image(8, 8, new int[]{0, 1, 2}, r);
            acc.add(im.features(), im.truth());
        }
        GaussianClusters.Image rare = SEPARATED.image(1, 5, new int[]{3}, r);
        acc.add(rare.features(), rare.truth());
        ClassStatistics stats = acc.build();
        assertThat(stats.isCandidate(3)).isFalse();

        GaussianClusters.Image test = SEPARATED.image(8, 8, new int[]{3}, r); // truly class 3 everywhere
        // Default: the teacher says 3, PLAR cannot judge class 3, so the pixels are undecided.
        RefinementResult r1 = PlarRefiner.builder().setStatistics(stats).build()
                .refine(test.features(), filled(64, 3), all(64, true), null);
        assertThat(r1.undecided()).isEqualTo(64);
        // With the protection off PLAR must still never output class 3.
        RefinementResult r2 = PlarRefiner.builder().setStatistics(stats).optUndecidedWhenPseudoClassMissing(false).build()
                .refine(test.features(), filled(64, 3), all(64, true), null);
        assertThat(r2.refined(3)).isZero();
        for (int l : r2.labels()) assertThat(l).isNotEqualTo(3);
        // And when the teacher says a known class, the pixel is judged among the candidates.
        RefinementResult r3 = PlarRefiner.builder().setStatistics(stats).build()
                .refine(test.features(), filled(64, 0), all(64, true), null);
        assertThat(r3.refined(3)).isZero();
    }

    @Test
    void fewerThanTwoCandidateClassesLeaveEverythingUndecided() {
        Random r = new Random(8);
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(4).build();
        GaussianClusters.Image only0 = SEPARATED.image(8, 8, new int[]{0}, r);
        acc.add(only0.features(), only0.truth());
        ClassStatistics stats = acc.build();
        assertThat(stats.candidateCount()).isEqualTo(1);
        RefinementResult res = PlarRefiner.builder().setStatistics(stats).build()
                .refine(only0.features(), filled(64, 0), all(64, true), null);
        assertThat(res.undecided()).isEqualTo(64);
        assertThat(res.refined()).isZero();
    }

    @Test
    void nonFiniteFeatureMakesThePixelUndecided() {
        GaussianClusters.Image im = SEPARATED.image(4, 4, new Random(9));
        float[] data = im.features().data().clone();
        data[3 * 16 + 5] = Float.NaN;
        data[7 * 16 + 6] = Float.POSITIVE_INFINITY;
        RefinementResult r = PlarRefiner.builder().setStatistics(SEPARATED_STATS).build()
                .refine(new FeatureMap(16, 4, 4, data), im.truth(), all(16, true), null);
        assertThat(r.status(5)).isEqualTo(PixelStatus.UNDECIDED);
        assertThat(r.status(6)).isEqualTo(PixelStatus.UNDECIDED);
        assertThat(r.refined()).isEqualTo(14);
    }

    @Test
    void mismatchedInputsAreRejected() {
        GaussianClusters.Image im = SEPARATED.image(4, 4, new Random(10));
        PlarRefiner refiner = PlarRefiner.builder().setStatistics(SEPARATED_STATS).build();
        assertThatThrownBy(() -> refiner.refine(im.features(), im.truth(), all(15, true), null))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("error mask has 15 values but the feature map is 4x4 (16 pixels): bring it to feature resolution with MaskResampling first");
        assertThatThrownBy(() -> refiner.refine(new FeatureMap(8, 4, 4, new float[128]), im.truth(), all(16, true), null))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("8 channels but the class statistics were built from 16");
        int[] pseudo = im.truth().clone();
        pseudo[2] = 9;
        assertThatThrownBy(() -> refiner.refine(im.features(), pseudo, all(16, true), null))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("pseudo-label 9 at feature pixel 2");
        assertThatThrownBy(() -> DecisionRule.byName("majority")).isInstanceOf(SemiactiveException.class)
                .hasMessage("unknown PLAR rule 'majority': use vote or fusion");
    }

    @Test
    void refinementOfAStrideFourMapIsFast() {
        // 256-d features, 11 classes, a 60x45 map fully flagged: must take well under a few seconds.
        // Means 8 sigma from the origin along different axes: 11.3 sigma apart, so nearest-mean errors are rare.
        GaussianClusters big = GaussianClusters.separated(11, 256, 8, 1);
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(11).optMaxSamplesPerClass(300).build();
        Random r = new Random(12);
        for (int i = 0; i < 2; i++) {
            GaussianClusters.Image im = big.image(45, 60, r);
            acc.add(im.features(), im.truth());
        }
        ClassStatistics stats = acc.build();
        GaussianClusters.Image test = big.image(45, 60, r);
        PlarRefiner refiner = PlarRefiner.builder().setStatistics(stats).build();
        long t0 = System.nanoTime();
        RefinementResult res = refiner.refine(test.features(), test.truth(), all(2700, true), null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(res.candidates()).isEqualTo(2700);
        RefinementMetrics m = new RefinementMetrics(11);
        m.add(res, test.truth());
        assertThat(m.accuracy()).isGreaterThan(0.99);
        System.out.printf("PLAR refine 60x45 x 256-d x 11 classes, all flagged: %.3f s (cold JIT)%n", seconds);
        assertThat(seconds).isLessThan(10);
    }
}
