package dev.semiactive.plar;

/**
 * Lower-triangular Cholesky factor of a symmetric positive-definite matrix, on flat row-major double
 * arrays (no linear-algebra library is in the pom, and d = 256 needs nothing clever: d^3/6 = 2.8M flops).
 * Mahalanobis distances are computed with a triangular solve against this factor, never with an explicit
 * inverse, which would be slower to build and less accurate for ill-conditioned covariances.
 */
public final class Cholesky {
    /** Jitter attempts: eps grows 10x per attempt from 1e-10*scale, so the last one adds 10^5 * scale. */
    private static final int MAX_JITTER_ATTEMPTS = 16;

    private final int n;
    private final double[] lower;
    private final double jitter;

    private Cholesky(int n, double[] lower, double jitter) {
        this.n = n;
        this.lower = lower;
        this.jitter = jitter;
    }

    /**
     * Factors {@code a} (n x n, row-major, symmetric; only the lower triangle is read). If it is not
     * numerically positive definite, retries with {@code a + eps*I}, eps = 1e-10*scale growing tenfold per
     * attempt, where scale = mean diagonal of {@code a} (1.0 if that is not positive). The eps finally
     * added is reported by {@link #jitter()}.
     *
     * @throws IllegalArgumentException if {@code a} holds NaN/infinite values (no jitter can fix those)
     */
    public static Cholesky factorWithJitter(double[] a, int n) {
        if (a.length != n * n) throw new IllegalArgumentException("matrix length " + a.length + " != " + n + "x" + n);
        double trace = 0;
        for (int i = 0; i < n; i++) trace += a[i * n + i];
        for (double v : a)
            if (!Double.isFinite(v)) throw new IllegalArgumentException("matrix holds a non-finite value: " + v);
        double scale = trace > 0 ? trace / n : 1.0;
        double[] l = new double[n * n];
        if (factor(a, n, 0.0, l)) return new Cholesky(n, l, 0.0);
        double eps = 1e-10 * scale;
        for (int attempt = 0; attempt < MAX_JITTER_ATTEMPTS; attempt++, eps *= 10) {
            if (factor(a, n, eps, l)) return new Cholesky(n, l, eps);
        }
        throw new IllegalStateException("matrix is not positive definite even with jitter " + eps / 10);
    }

    /** Writes the factor of a + eps*I into l; false if a pivot is not strictly positive. */
    private static boolean factor(double[] a, int n, double eps, double[] l) {
        java.util.Arrays.fill(l, 0.0);
        for (int j = 0; j < n; j++) {
            int rj = j * n;
            double diag = a[rj + j] + eps;
            for (int k = 0; k < j; k++) diag -= l[rj + k] * l[rj + k];
            // Relative tolerance: a pivot tiny next to its original diagonal is rounding noise, not variance.
            if (!(diag > 1e-12 * Math.abs(a[rj + j] + eps)) || !(diag > 0)) return false;
            double ljj = Math.sqrt(diag);
            l[rj + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                int ri = i * n;
                double s = a[ri + j];
                for (int k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
                l[ri + j] = s / ljj;
            }
        }
        return true;
    }

    public int size() {
        return n;
    }

    /** The eps*I added to make the matrix positive definite (0 when none was needed). */
    public double jitter() {
        return jitter;
    }

    /** Entry (i, j) of the lower factor L, where L L^T = a + jitter*I. */
    public double get(int i, int j) {
        return lower[i * n + j];
    }

    /**
     * Squared Mahalanobis norm x^T (L L^T)^{-1} x = ||L^{-1} x||^2 by forward substitution.
     *
     * @param x       vector of length n (not modified)
     * @param scratch work array of length >= n, so the per-pixel loop allocates nothing
     */
    public double mahalanobisSquared(double[] x, double[] scratch) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            double s = x[i];
            for (int k = 0; k < i; k++) s -= lower[ri + k] * scratch[k];
            double z = s / lower[ri + i];
            scratch[i] = z;
            sum += z * z;
        }
        return sum;
    }
}
