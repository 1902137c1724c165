package dev.semiactive.plar;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.semiactive.plar.GaussianClusters.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RefinementMetricsTest {
    /** A 1x6 result built by hand: statuses LABELLED, UNFLAGGED, REFINED(1), REFINED(2), REFINED(1), UNDECIDED. */
    private static RefinementResult handMade() {
        int[] labels = {0, 255, 1, 2, 1, 255};
        byte[] status = {PixelStatus.LABELLED.code(), PixelStatus.UNFLAGGED.code(), PixelStatus.REFINED.code(),
                PixelStatus.REFINED.code(), PixelStatus.REFINED.code(), PixelStatus.UNDECIDED.code()};
        int[] pseudo = {0, 2, 1, 0, 0, 1};
        return new RefinementResult(1, 6, 3, labels, status, pseudo, 5, 1);
    }

    @Test
    void countsAndAccuracyByHand() {
        RefinementResult r = handMade();
        assertThat(r.candidates()).isEqualTo(4);
        assertThat(r.refined()).isEqualTo(3);
        assertThat(r.undecided()).isEqualTo(1);
        assertThat(r.corrected()).isEqualTo(2); // pixels 3 and 4 differ from the teacher
        assertThat(r.refinedPerClass()).containsExactly(0, 2, 1);
        assertThat(r.refinedFraction()).isEqualTo(0.75);
        assertThat(r.trainingTarget()).containsExactly(0, 2, 1, 2, 1, 255);

        RefinementMetrics m = new RefinementMetrics(3);
        int[] truth = {0, 0, 1, 0, 255, 2}; // pixel 2 right, pixel 3 wrong, pixel 4 not evaluated
        m.add(r, truth);
        assertThat(m.evaluated()).isEqualTo(2);
        assertThat(m.accuracy()).isEqualTo(0.5);
        assertThat(m.accuracy(1)).isEqualTo(1.0);
        assertThat(m.accuracy(2)).isEqualTo(0.0);
        assertThat(m.accuracy(0)).isNaN();
        assertThat(m.teacherAccuracy()).isEqualTo(1.0); // the teacher had 1 and 0: both right
        assertThat(m.refinedFraction()).isEqualTo(0.75);
        assertThat(m.undecidedFraction()).isEqualTo(0.25);
        RefinementMetrics.Summary s = m.summary();
        assertThat(s.refined()).isEqualTo(3);
        assertThat(s.accuracyPerClass()[1]).isEqualTo(1.0);
    }

    @Test
    void emptyMetricsAreNaNNotZero() {
        RefinementMetrics m = new RefinementMetrics(2);
        assertThat(m.accuracy()).isNaN();
        assertThat(m.refinedFraction()).isNaN();
        // An image where nothing was flagged: still nothing to decide, so the fractions stay undefined.
        m.add(new RefinementResult(1, 1, 2, new int[]{255}, new byte[]{PixelStatus.UNFLAGGED.code()}, new int[]{0}, 0, 0));
        assertThat(m.images()).isEqualTo(1);
        assertThat(m.undecidedFraction()).isNaN();
    }

    @Test
    void mergeEqualsAddingEverythingToOne() {
        GaussianClusters c = GaussianClusters.overlapping(3, 4, 2);
        ClassStatistics stats = c.accumulate(4, 8, 8, 1).build();
        PlarRefiner refiner = PlarRefiner.builder().setStatistics(stats).build();
        Random r = new Random(3);
        RefinementMetrics all = new RefinementMetrics(3), a = new RefinementMetrics(3), b = new RefinementMetrics(3);
        for (int i = 0; i < 6; i++) {
            GaussianClusters.Image im = c.image(8, 8, r);
            RefinementResult res = refiner.refine(im.features(), im.truth(), all(64, true), null);
            all.add(res, im.truth());
            (i % 2 == 0 ? a : b).add(res, im.truth());
        }
        a.merge(b);
        assertThat(a.summary().refined()).isEqualTo(all.refined());
        assertThat(a.evaluated()).isEqualTo(all.evaluated());
        assertThat(a.accuracy()).isCloseTo(all.accuracy(), within(1e-12));
        assertThat(a.summary().correctPerClass()).containsExactly(all.summary().correctPerClass());
        assertThat(a.images()).isEqualTo(6);
        assertThat(a.toString()).startsWith("PLAR: 6 images");
    }
}
