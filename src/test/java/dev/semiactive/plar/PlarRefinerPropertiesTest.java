package dev.semiactive.plar;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants of PLAR over random images, masks, labels and rules. */
class PlarRefinerPropertiesTest {
    private static final GaussianClusters CLUSTERS = GaussianClusters.overlapping(5, 6, 21);
    /** Class 4 gets too few samples, so the candidate rule is exercised too. */
    private static final ClassStatistics STATS = stats();

    private static ClassStatistics stats() {
        Random r = new Random(1);
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(5).optMaxSamplesPerClass(300).build();
        for (int i = 0; i < 6; i++) {
            GaussianClusters.Image im = CLUSTERS.image(12, 12, new int[]{0, 1, 2, 3}, r);
            acc.add(im.features(), im.truth());
        }
        GaussianClusters.Image few = CLUSTERS.image(1, 4, new int[]{4}, r);
        acc.add(few.features(), few.truth());
        return acc.build();
    }

    @Property(tries = 200)
    void labelledPixelsAreNeverChangedAndCountsAddUp(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int h,
                                                     @ForAll @IntRange(min = 1, max = 9) int w,
                                                     @ForAll @IntRange(min = 0, max = 2) int ruleIndex,
                                                     @ForAll boolean protectMissing) {
        Random r = new Random(seed);
        GaussianClusters.Image im = CLUSTERS.image(h, w, r);
        int hw = h * w;
        int[] pseudo = new int[hw], existing = new int[hw];
        boolean[] flags = new boolean[hw];
        for (int p = 0; p < hw; p++) {
            pseudo[p] = r.nextInt(10) == 0 ? 255 : r.nextInt(5);
            existing[p] = r.nextBoolean() ? 255 : r.nextInt(5);
            flags[p] = r.nextBoolean();
        }
        int[] existingCopy = existing.clone();
        DecisionRule rule = switch (ruleIndex) {
            case 0 -> VoteRule.INSTANCE;
            case 1 -> FusionRule.builder().optThreshold(0.4).build();
            default -> FusionRule.builder().optPool(FusionRule.Pool.GEOMETRIC).build();
        };
        RefinementResult res = PlarRefiner.builder().setStatistics(STATS).optRule(rule)
                .optUndecidedWhenPseudoClassMissing(protectMissing).build().refine(im.features(), pseudo, flags, existing);

        assertThat(existing).as("input not mutated").containsExactly(existingCopy);
        int[] labels = res.labels();
        long flaggedUnlabelled = 0;
        for (int p = 0; p < hw; p++) {
            if (existing[p] != 255) {
                assertThat(labels[p]).isEqualTo(existing[p]);
                assertThat(res.status(p)).isEqualTo(PixelStatus.LABELLED);
            } else if (!flags[p]) {
                assertThat(res.status(p)).isEqualTo(PixelStatus.UNFLAGGED);
                assertThat(labels[p]).isEqualTo(255);
            } else {
                flaggedUnlabelled++;
                PixelStatus s = res.status(p);
                assertThat(s).isIn(PixelStatus.REFINED, PixelStatus.UNDECIDED);
                if (s == PixelStatus.REFINED) {
                    assertThat(labels[p]).isBetween(0, 3); // class 4 is not a candidate
                    if (protectMissing) assertThat(pseudo[p]).isNotEqualTo(4);
                } else {
                    assertThat(labels[p]).isEqualTo(255);
                }
            }
        }
        assertThat(res.candidates()).isEqualTo(flaggedUnlabelled);
        assertThat(res.refined() + res.undecided()).isEqualTo(flaggedUnlabelled);
        long perClass = 0;
        for (long n : res.refinedPerClass()) perClass += n;
        assertThat(perClass).isEqualTo(res.refined());
    }
}
