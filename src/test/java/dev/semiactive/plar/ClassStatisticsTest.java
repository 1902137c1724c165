package dev.semiactive.plar;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ClassStatisticsTest {
    /** One 1 x n image holding the given feature rows (row-major n x d) with the given labels. */
    static FeatureMap rowsAsImage(double[][] rows) {
        int n = rows.length, d = rows[0].length;
        float[] data = new float[d * n];
        for (int p = 0; p < n; p++) for (int j = 0; j < d; j++) data[j * n + p] = (float) rows[p][j];
        return new FeatureMap(d, 1, n, data);
    }

    static ClassStatisticsAccumulator accumulator(int k, double[][] rows, int[] labels) {
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(k).build();
        acc.add(rowsAsImage(rows), labels);
        return acc;
    }

    private static final double[][] SIX = {{1, 2, 0.5}, {2, 1, 0}, {0, 0, 1}, {3, 2, 2}, {1.5, 0.5, -1}, {2, 3, 1}};

    @Test
    void meanAndUnshrunkCovarianceAreTheSampleEstimates() {
        ClassStatistics s = accumulator(1, SIX, new int[6]).build(StatisticsOptions.builder()
                .optShrinkage(Shrinkage.fixed(0)).optMinSamplesPerClass(2).build());
        double[] mu = s.mean(0);
        assertThat(mu).containsExactly(new double[]{9.5 / 6, 8.5 / 6, 3.5 / 6}, within(1e-12));
        double[] cov = s.covariance(0);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double e = 0;
                for (double[] x : SIX) e += (x[i] - mu[i]) * (x[j] - mu[j]);
                assertThat(cov[i * 3 + j]).as("S[%d][%d]", i, j).isCloseTo(e / 5, within(1e-6));
            }
    }

    @Test
    void fixedShrinkageBlendsTowardsScaledIdentity() {
        StatisticsOptions none = StatisticsOptions.builder().optShrinkage(Shrinkage.fixed(0)).optMinSamplesPerClass(2).build();
        StatisticsOptions some = StatisticsOptions.builder().optShrinkage(Shrinkage.fixed(0.3)).optMinSamplesPerClass(2).build();
        ClassStatisticsAccumulator acc = accumulator(1, SIX, new int[6]);
        double[] s = acc.build(none).covariance(0);
        double[] shrunk = acc.build(some).covariance(0);
        double target = (s[0] + s[4] + s[8]) / 3;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                assertThat(shrunk[i * 3 + j]).isCloseTo(0.7 * s[i * 3 + j] + (i == j ? 0.3 * target : 0), within(1e-6));
        assertThat(acc.build(some).shrinkageUsed(0)).isEqualTo(0.3);
    }

    @Test
    void ledoitWolfIntensityMatchesNumpyReference() {
        // Reference: numpy, the scikit-learn ledoit_wolf_shrinkage formula on these six samples.
        ClassStatistics s = accumulator(1, SIX, new int[6]).build(StatisticsOptions.builder()
                .optShrinkage(Shrinkage.ledoitWolfOptimal()).optMinSamplesPerClass(2).build());
        assertThat(s.shrinkageUsed(0)).isCloseTo(0.9955180595834435, within(1e-6));
    }

    @Test
    void ledoitWolfShrinksLessWithManyCorrelatedSamples() {
        // 2000 samples of a strongly anisotropic 4-d Gaussian: the sample covariance is reliable, so LW
        // should shrink little; 6 samples: a lot.
        Random r = new Random(3);
        double[][] rows = new double[2000][4];
        for (double[] x : rows) {
            double z = r.nextGaussian();
            x[0] = 5 * z;
            x[1] = 5 * z + 0.1 * r.nextGaussian();
            x[2] = 0.2 * r.nextGaussian();
            x[3] = r.nextGaussian();
        }
        ClassStatistics s = accumulator(1, rows, new int[2000]).build(StatisticsOptions.builder()
                .optShrinkage(Shrinkage.ledoitWolfOptimal()).build());
        assertThat(s.shrinkageUsed(0)).isBetween(0.0, 0.05);
    }

    @Test
    void rankDeficientSamplesGiveFiniteDistances() {
        // All samples on a line in 3-d (rank 1), and d > n (16-d, 10 samples): with and without shrinkage.
        double[][] line = new double[20][];
        for (int i = 0; i < 20; i++) line[i] = new double[]{i, 2 * i, -i};
        Random r = new Random(1);
        double[][] wide = new double[10][16];
        for (double[] x : wide) for (int j = 0; j < 16; j++) x[j] = r.nextGaussian();
        for (double a : new double[]{0.0, 0.1}) {
            StatisticsOptions opt = StatisticsOptions.builder().optShrinkage(Shrinkage.fixed(a)).build();
            ClassStatistics s1 = accumulator(1, line, new int[20]).build(opt);
            assertFiniteDistances(s1, new double[]{1, 0, 0});
            if (a == 0) assertThat(s1.factor(0).jitter()).isPositive();
            else assertThat(s1.factor(0).jitter()).isZero();
            ClassStatistics s2 = accumulator(1, wide, new int[10]).build(opt);
            double[] probe = new double[16];
            probe[3] = 1;
            assertFiniteDistances(s2, probe);
        }
        // Ledoit-Wolf on the same degenerate data.
        ClassStatistics lw = accumulator(1, line, new int[20]).build(StatisticsOptions.builder()
                .optShrinkage(Shrinkage.ledoitWolfOptimal()).build());
        assertFiniteDistances(lw, new double[]{0, 1, 0});
    }

    @Test
    void zeroVarianceDimensionWithoutShrinkageStillWorks() {
        Random r = new Random(2);
        double[][] rows = new double[50][];
        for (int i = 0; i < 50; i++) rows[i] = new double[]{r.nextGaussian(), 7.0, r.nextGaussian()};
        ClassStatistics s = accumulator(1, rows, new int[50]).build(StatisticsOptions.builder()
                .optShrinkage(Shrinkage.fixed(0)).build());
        assertFiniteDistances(s, new double[]{0, 7.5, 0});
        assertThat(s.factor(0).jitter()).isPositive();
    }

    @Test
    void zeroSpreadClassUsesPooledVarianceIsotropically() {
        // Class 0: one sample (allowed with min 1); class 1: 30 identical samples; class 2: real spread.
        Random r = new Random(4);
        double[][] rows = new double[61][];
        int[] labels = new int[61];
        rows[0] = new double[]{1, 1};
        for (int i = 1; i <= 30; i++) {
            rows[i] = new double[]{5, 5};
            labels[i] = 1;
        }
        for (int i = 31; i <= 60; i++) {
            rows[i] = new double[]{-5 + 2 * r.nextGaussian(), 2 * r.nextGaussian()};
            labels[i] = 2;
        }
        ClassStatistics s = accumulator(3, rows, labels).build(StatisticsOptions.builder().optMinSamplesPerClass(1).build());
        double v = s.pooledVariance();
        assertThat(v).isPositive().isFinite();
        for (int c = 0; c < 2; c++) {
            assertThat(s.covariance(c)).containsExactly(new double[]{v, 0, 0, v}, within(1e-9));
            assertThat(s.shrinkageUsed(c)).isEqualTo(1.0);
        }
        assertThat(s.mahalanobisSquared(1, new double[]{6, 5})).isCloseTo(1 / v, within(1e-9));
        // Every class with no spread at all: pooled variance falls back to 1.
        ClassStatistics flat = accumulator(1, new double[][]{{2, 2}, {2, 2}}, new int[2])
                .build(StatisticsOptions.builder().optMinSamplesPerClass(1).build());
        assertThat(flat.pooledVariance()).isEqualTo(1.0);
        assertThat(flat.mahalanobisSquared(0, new double[]{3, 2})).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void classWithTooFewSamplesIsNotACandidate() {
        double[][] rows = new double[25][];
        int[] labels = new int[25];
        for (int i = 0; i < 25; i++) {
            rows[i] = new double[]{i % 5, i / 5};
            labels[i] = i < 16 ? 0 : 1; // class 1: 9 samples (< 10), class 2: none
        }
        ClassStatistics s = accumulator(3, rows, labels).build();
        assertThat(s.isCandidate(0)).isTrue();
        assertThat(s.isCandidate(1)).isFalse();
        assertThat(s.isCandidate(2)).isFalse();
        assertThat(s.candidateCount()).isEqualTo(1);
        assertThat(s.sampleCount(1)).isEqualTo(9);
        double[] e = new double[3], m = new double[3];
        s.distances(new double[]{1, 1}, e, m, s.newWorkspace());
        assertThat(e[1]).isInfinite();
        assertThat(m[2]).isInfinite();
        assertThat(e[0]).isFinite();
        assertThatThrownBy(() -> s.mean(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not a PLAR candidate");
        // Lowering the minimum makes it a candidate.
        assertThat(accumulator(3, rows, labels).build(StatisticsOptions.builder().optMinSamplesPerClass(9).build())
                .isCandidate(1)).isTrue();
    }

    @Test
    void classBalancedBlendsRareClassTowardsThePool() {
        // Class 0: 400 samples stretched along x; class 1: 400 stretched along y; class 2: 10 samples, round.
        Random r = new Random(5);
        int n = 810;
        double[][] rows = new double[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i < 400 ? 0 : i < 800 ? 1 : 2;
            labels[i] = c;
            double a = r.nextGaussian(), b = r.nextGaussian();
            rows[i] = c == 0 ? new double[]{4 * a, 0.5 * b} : c == 1 ? new double[]{0.5 * a, 4 * b + 20} : new double[]{a + 10, b};
        }
        ClassStatisticsAccumulator acc = accumulator(3, rows, labels);
        StatisticsOptions plain = StatisticsOptions.builder().optShrinkage(Shrinkage.fixed(0)).build();
        StatisticsOptions balanced = StatisticsOptions.builder().optShrinkage(Shrinkage.fixed(0)).optClassBalanced(true)
                .optPooledPriorStrength(30).build();
        ClassStatistics p = acc.build(plain), b = acc.build(balanced);
        double[] pool = new double[4];
        for (int c = 0; c < 3; c++) {
            double[] s = p.covariance(c);
            for (int i = 0; i < 4; i++) pool[i] += s[i] / 3;
        }
        for (int c = 0; c < 3; c++) {
            double nc = p.sampleCount(c);
            double[] own = p.covariance(c), blended = b.covariance(c);
            for (int i = 0; i < 4; i++)
                assertThat(blended[i]).isCloseTo((nc * own[i] + 30 * pool[i]) / (nc + 30), within(1e-6));
        }
        // The rare class is mostly the pool (weight 30/40), the frequent ones mostly themselves (30/430).
        assertThat(b.covariance(2)[0]).isGreaterThan(p.covariance(2)[0] + 1);
        assertThat(Math.abs(b.covariance(0)[0] - p.covariance(0)[0])).isLessThan(0.1 * p.covariance(0)[0]);
        // Default prior strength is the feature dimension.
        assertThat(StatisticsOptions.builder().optClassBalanced(true).build().pooledPriorStrength(256)).isEqualTo(256);
    }

    @Test
    void shrinkageParsesConfigValues() {
        assertThat(Shrinkage.parse("0.25")).isEqualTo(Shrinkage.fixed(0.25));
        assertThat(Shrinkage.parse("ledoit-wolf").ledoitWolf()).isTrue();
        assertThatThrownBy(() -> Shrinkage.parse("1.5")).isInstanceOf(dev.semiactive.SemiactiveException.class)
                .hasMessage("plar shrinkage '1.5' is not valid: use a number in [0, 1] or ledoit-wolf");
    }

    /** The batched, multi-lane kernel gives each vector the distances the one-vector solve gives it. */
    @Test
    void batchedDistancesEqualOneVectorAtATime() {
        GaussianClusters clusters = GaussianClusters.overlapping(5, 24, 7);
        ClassStatistics s = clusters.accumulate(30, 16, 16, 2).build();
        int k = s.numClasses(), d = s.dimension(), count = 37;
        java.util.Random r = new java.util.Random(3);
        double[] rows = new double[count * d];
        for (int i = 0; i < rows.length; i++) rows[i] = r.nextGaussian() * 3;
        ClassStatistics.Workspace ws = s.newWorkspace(64);
        double[] e = new double[count * k], m = new double[count * k];
        s.distances(rows, count, e, m, ws);
        for (int b = 0; b < count; b++) {
            double[] f = java.util.Arrays.copyOfRange(rows, b * d, (b + 1) * d);
            for (int c = 0; c < k; c++) {
                if (!s.isCandidate(c)) {
                    assertThat(m[b * k + c]).isInfinite();
                    continue;
                }
                double euclid = 0;
                double[] mu = s.mean(c);
                for (int j = 0; j < d; j++) euclid += (f[j] - mu[j]) * (f[j] - mu[j]);
                double maha = s.mahalanobisSquared(c, f);
                assertThat(e[b * k + c]).isCloseTo(euclid, within(1e-9 * euclid));
                assertThat(m[b * k + c]).isCloseTo(maha, within(1e-9 * maha));
            }
        }
    }

    private static void assertFiniteDistances(ClassStatistics s, double[] probe) {
        double[] e = new double[s.numClasses()], m = new double[s.numClasses()];
        s.distances(probe, e, m, s.newWorkspace());
        for (int c = 0; c < s.numClasses(); c++) {
            if (!s.isCandidate(c)) continue;
            assertThat(e[c]).isFinite();
            assertThat(m[c]).isFinite().isNotNegative();
            for (double v : s.covariance(c)) assertThat(v).isFinite();
        }
    }
}
