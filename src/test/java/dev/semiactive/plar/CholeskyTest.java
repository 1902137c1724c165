package dev.semiactive.plar;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CholeskyTest {
    @Test
    void factorsAndSolves2x2ByHand() {
        // A = [[4,2],[2,3]] = L L^T with L = [[2,0],[1,sqrt 2]]; A^-1 = 1/8 [[3,-2],[-2,4]].
        Cholesky l = Cholesky.factorWithJitter(new double[]{4, 2, 2, 3}, 2);
        assertThat(l.jitter()).isZero();
        assertThat(l.get(0, 0)).isCloseTo(2, within(1e-12));
        assertThat(l.get(1, 0)).isCloseTo(1, within(1e-12));
        assertThat(l.get(1, 1)).isCloseTo(Math.sqrt(2), within(1e-12));
        assertThat(l.get(0, 1)).isZero();
        // x = (1, 2): x^T A^-1 x = (3 - 8 + 16) / 8 = 11/8.
        assertThat(l.mahalanobisSquared(new double[]{1, 2}, new double[2])).isCloseTo(11.0 / 8, within(1e-12));
    }

    @Test
    void inverseLowerTimesTheFactorIsTheIdentityAndGivesTheSolvesDistance() {
        // L = [[2,0,0],[6,1,0],[-8,5,3]] (as above): row 1 of L^{-1} is [-6/2, 1, 0]
        double[] a = {4, 12, -16, 12, 37, -43, -16, -43, 98};
        Cholesky ch = Cholesky.factorWithJitter(a, 3);
        double[] w = ch.inverseLower();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) s += w[i * 3 + k] * ch.get(k, j);
                assertThat(s).as("(W L)[%d][%d]", i, j).isCloseTo(i == j ? 1 : 0, org.assertj.core.data.Offset.offset(1e-12));
            }
        assertThat(w[1]).isZero();
        assertThat(w[2]).isZero();
        assertThat(w[5]).isZero();
        assertThat(w[3]).isCloseTo(-3, org.assertj.core.data.Offset.offset(1e-12));
        // ||W x||^2 is the solve's x^T A^{-1} x
        double[] x = {1.5, -2, 0.25};
        double wx = 0;
        for (int i = 0; i < 3; i++) {
            double r = 0;
            for (int j = 0; j < 3; j++) r += w[i * 3 + j] * x[j];
            wx += r * r;
        }
        assertThat(wx).isCloseTo(ch.mahalanobisSquared(x, new double[3]), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void factorsAndSolves3x3ByHand() {
        // Classic example: L = [[2,0,0],[6,1,0],[-8,5,3]].
        double[] a = {4, 12, -16, 12, 37, -43, -16, -43, 98};
        Cholesky l = Cholesky.factorWithJitter(a, 3);
        double[][] expected = {{2, 0, 0}, {6, 1, 0}, {-8, 5, 3}};
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) assertThat(l.get(i, j)).isCloseTo(expected[i][j], within(1e-12));
        // e1^T A^-1 e1: z = L^-1 e1 = (1/2, -3, 19/3), ||z||^2 = 1/4 + 9 + 361/9 = 1777/36.
        assertThat(l.mahalanobisSquared(new double[]{1, 0, 0}, new double[3])).isCloseTo(1777.0 / 36, within(1e-10));
        // And against a general vector, compared with the explicit inverse computed by cofactors.
        double[] x = {0.3, -1.2, 2.0};
        double[] inv = inverse3(a);
        double expectedQuad = 0;
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) expectedQuad += x[i] * inv[i * 3 + j] * x[j];
        assertThat(l.mahalanobisSquared(x, new double[3])).isCloseTo(expectedQuad, within(1e-9));
    }

    @Test
    void singularMatrixGetsJitterAndStaysFinite() {
        double[] a = {1, 1, 1, 1}; // rank 1
        Cholesky l = Cholesky.factorWithJitter(a, 2);
        assertThat(l.jitter()).isPositive().isLessThan(1e-3);
        // L L^T reproduces A + jitter I.
        assertThat(l.get(0, 0) * l.get(0, 0)).isCloseTo(1 + l.jitter(), within(1e-12));
        assertThat(l.get(1, 0) * l.get(0, 0)).isCloseTo(1, within(1e-12));
        assertThat(l.get(1, 0) * l.get(1, 0) + l.get(1, 1) * l.get(1, 1)).isCloseTo(1 + l.jitter(), within(1e-9));
        // (1, -1) is the eigenvector of A + jI with eigenvalue j: x^T (A + jI)^-1 x = |x|^2 / j
        double d = l.mahalanobisSquared(new double[]{1, -1}, new double[2]);
        assertThat(d).isCloseTo(2 / l.jitter(), within(1e-6 * 2 / l.jitter()));
    }

    @Test
    void zeroMatrixGetsJitter() {
        Cholesky l = Cholesky.factorWithJitter(new double[9], 3);
        assertThat(l.jitter()).isPositive();
        // the factor of jI: x^T x / j = 14 / j
        assertThat(l.mahalanobisSquared(new double[]{1, 2, 3}, new double[3])).isCloseTo(14 / l.jitter(), within(1e-9 * 14 / l.jitter()));
    }

    @Test
    void rejectsNonFiniteMatrix() {
        assertThatThrownBy(() -> Cholesky.factorWithJitter(new double[]{1, Double.NaN, Double.NaN, 1}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
    }

    private static double[] inverse3(double[] m) {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new double[]{
                (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
                (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
                (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det};
    }
}
