package dev.semiactive.plar;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.semiactive.plar.GaussianClusters.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VoteRuleTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void theMarginAsksTheWinnerToBeClearlyAheadInBothMetrics() {
        VoteRule rule = VoteRule.withMargin(0.1); // distance <= 0.9 x runner-up's, i.e. squared <= 0.81 x
        assertThat(rule.decide(new double[] {1, 4, 9}, new double[] {1, 3, INF}, null)).isEqualTo(0);
        // agreed, but the Euclidean runner-up is within 10% (1 / 1.1 = 0.91 > 0.81)
        assertThat(rule.decide(new double[] {1, 1.1, 9}, new double[] {1, 3, 9}, null)).isEqualTo(DecisionRule.UNDECIDED);
        assertThat(rule.decide(new double[] {1, 4, 9}, new double[] {2, 2.2, 9}, null)).isEqualTo(DecisionRule.UNDECIDED);
        // the paper's vote takes both
        assertThat(VoteRule.INSTANCE.decide(new double[] {1, 1.1, 9}, new double[] {1, 3, 9}, null)).isEqualTo(0);
        // disagreement stays undecided whatever the margin
        assertThat(rule.decide(new double[] {1, 4, 9}, new double[] {5, 1, 9}, null)).isEqualTo(DecisionRule.UNDECIDED);
        // exactly at the bound counts as ahead; a lone candidate is ahead of nobody
        assertThat(rule.decide(new double[] {0.81, 1, INF}, new double[] {0.81, 1, INF}, null)).isEqualTo(0);
        assertThat(rule.decide(new double[] {INF, 2, INF}, new double[] {INF, 2, INF}, null)).isEqualTo(1);
    }

    @Test
    void aMarginOnlyEverTakesDecisionsBack() {
        GaussianClusters overlap = GaussianClusters.overlapping(4, 8, 11);
        ClassStatistics stats = overlap.accumulate(20, 16, 16, 3).build();
        GaussianClusters.Image im = overlap.image(32, 32, new Random(4));
        RefinementResult plain = PlarRefiner.builder().setStatistics(stats).optRule(VoteRule.INSTANCE).build()
                .refine(im.features(), im.truth(), all(1024, true), null);
        RefinementResult strict = PlarRefiner.builder().setStatistics(stats).optRule(VoteRule.withMargin(0.05)).build()
                .refine(im.features(), im.truth(), all(1024, true), null);
        assertThat(strict.refined()).isLessThan(plain.refined()).isPositive();
        for (int p = 0; p < 1024; p++)
            if (strict.labels()[p] != 255) assertThat(strict.labels()[p]).as("pixel %d", p).isEqualTo(plain.labels()[p]);
    }

    @Test
    void marginOutsideZeroToOneIsRefused() {
        assertThat(VoteRule.withMargin(0)).isSameAs(VoteRule.INSTANCE);
        assertThatThrownBy(() -> VoteRule.withMargin(1)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> VoteRule.withMargin(-0.1)).hasMessageContaining("[0, 1)");
    }
}
