package dev.semiactive.plar;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class GemmDistancesTest {
    /** 5 classes in 24 dimensions, class 3 never labelled (not a candidate), shapes that overlap and differ. */
    private static ClassStatistics statistics(GaussianClusters clusters, Random r) {
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(5).build();
        for (int i = 0; i < 6; i++) {
            GaussianClusters.Image im = clusters.image(8, 8, new int[] {0, 1, 2, 4}, r);
            acc.add(im.features(), im.truth());
        }
        return acc.build();
    }

    @Test
    void matrixProductDistancesMatchTheTriangularSolve() {
        Random r = new Random(3);
        GaussianClusters clusters = GaussianClusters.overlapping(5, 24, 11);
        ClassStatistics stats = statistics(clusters, r);
        assertThat(stats.isCandidate(3)).isFalse();
        int count = 150, d = 24, k = 5;
        double[] f = new double[count * d];
        for (int i = 0; i < f.length; i++) f[i] = 2 * r.nextGaussian();
        double[] e1 = new double[count * k], m1 = new double[count * k], e2 = new double[count * k], m2 = new double[count * k];
        // a batch path sized for fewer rows gives the same distances for the rows it is given
        double[] e0 = new double[64 * k], m0 = new double[64 * k];
        stats.batchDistances(64).distances(f, 64, e0, m0);
        stats.batchDistances(count).distances(f, count, e1, m1);
        assertThat(e0).containsExactly(java.util.Arrays.copyOf(e1, 64 * k));
        assertThat(m0).containsExactly(java.util.Arrays.copyOf(m1, 64 * k));
        try (NDManager manager = NDManager.newBaseManager();
             GemmDistances gemm = new GemmDistances(stats, manager, count)) {
            gemm.distances(f, count, e2, m2);
        }
        for (int i = 0; i < count * k; i++) {
            if (i % k == 3) {
                assertThat(m2[i]).isEqualTo(Double.POSITIVE_INFINITY);
                assertThat(e2[i]).isEqualTo(Double.POSITIVE_INFINITY);
                continue;
            }
            assertThat(e2[i]).as("euclidean %d", i).isCloseTo(e1[i], offset(1e-9 * e1[i]));
            assertThat(m2[i]).as("mahalanobis %d", i).isCloseTo(m1[i], offset(1e-9 * m1[i]));
        }
    }

    @Test
    void aRefinerGivesTheSameLabelsWithEitherDistancePath() {
        Random r = new Random(5);
        // near enough that the vote refines some pixels and leaves others undecided
        GaussianClusters clusters = GaussianClusters.separated(5, 24, 3.0, 1.0);
        ClassStatistics stats = statistics(clusters, r);
        GaussianClusters.Image im = clusters.image(20, 20, new int[] {0, 1, 2, 3, 4}, r);
        int hw = 400;
        boolean[] flagged = new boolean[hw];
        int[] existing = new int[hw];
        for (int p = 0; p < hw; p++) {
            flagged[p] = p % 5 != 0;
            existing[p] = p % 7 == 0 ? im.truth()[p] : 255;
        }
        RefinementResult java = PlarRefiner.builder().setStatistics(stats).optRule(VoteRule.withMargin(0.1)).build()
                .refine(im.features(), im.truth(), flagged, existing);
        try (NDManager manager = NDManager.newBaseManager()) {
            // a capacity below the flagged count: several products per image
            PlarRefiner gemm = PlarRefiner.builder().setStatistics(stats).optRule(VoteRule.withMargin(0.1))
                    .optDistances(new GemmDistances(stats, manager, 100)).build();
            RefinementResult viaGemm = gemm.refine(im.features(), im.truth(), flagged, existing);
            assertThat(viaGemm.labels()).isEqualTo(java.labels());
            assertThat(viaGemm.refined()).isEqualTo(java.refined()).isPositive();
            assertThat(viaGemm.undecided()).isEqualTo(java.undecided()).isPositive();
            ClassStatistics other = statistics(clusters, new Random(6));
            assertThatThrownBy(() -> PlarRefiner.builder().setStatistics(other)
                    .optDistances(new GemmDistances(stats, manager, 100)).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("same ClassStatistics");
        }
    }

    @Test
    void refusesACallBeyondItsCapacityAndNoCandidatesGiveInfinity() {
        // 4 labelled pixels: below the 10 a class needs to be a candidate
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(2).build();
        GaussianClusters.Image tiny = GaussianClusters.separated(2, 3, 3.0, 1.0).image(2, 2, new int[] {0}, new Random(1));
        acc.add(tiny.features(), tiny.truth());
        ClassStatistics none = acc.build();
        assertThat(none.candidateCount()).isZero();
        try (NDManager manager = NDManager.newBaseManager()) {
            GemmDistances gemm = new GemmDistances(none, manager, 4);
            double[] e = new double[8], m = new double[8];
            gemm.distances(new double[4 * none.dimension()], 4, e, m);
            assertThat(m).containsOnly(Double.POSITIVE_INFINITY);
            assertThatThrownBy(() -> gemm.distances(new double[5 * none.dimension()], 5, e, m))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("5 vectors, capacity 4");
            assertThatThrownBy(() -> new GemmDistances(none, manager, 0)).hasMessageContaining("capacity must be >= 1");
        }
    }
}
