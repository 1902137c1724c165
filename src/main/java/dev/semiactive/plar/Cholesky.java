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
     * Squared Mahalanobis norm x^T (L L^T)^{-1} x = ||L^{-1} x||^2 by forward substitution, for one
     * vector (convenience; hot loops use the batched form, which allocates nothing).
     *
     * @param x       vector of length n (not modified)
     * @param scratch work array of length >= n
     */
    public double mahalanobisSquared(double[] x, double[] scratch) {
        double[] out = new double[1];
        mahalanobisSquared(x, 1, scratch, out, 0, 1);
        return out[0];
    }

    /**
     * The same for {@code count} vectors at once (row-major count x n in {@code x}): row i of L is read
     * once for all vectors while it sits in cache. One vector at a time would stream the whole factor
     * (512 KB for d = 256) from memory for every pixel and class, which is what limits speed otherwise.
     *
     * @param work   at least count*n doubles, holds the solves L^{-1} x
     * @param out    result for vector b goes to out[outOffset + b*outStride]
     */
    public void mahalanobisSquared(double[] x, int count, double[] work, double[] out, int outOffset, int outStride) {
        for (int b = 0; b < count; b++) out[outOffset + b * outStride] = 0;
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            double inv = 1.0 / lower[ri + i];
            for (int b = 0, o = 0; b < count; b++, o += n) {
                double z = (x[o + i] - dot(lower, ri, work, o, i)) * inv;
                work[o + i] = z;
                out[outOffset + b * outStride] += z * z;
            }
        }
    }

    /**
     * L^{-1} (n x n, row-major, lower triangular) by forward substitution against the identity, O(n^3/6):
     * for a matrix-product form of the distances, ||L^{-1}(x - mu)||^2, that a BLAS runs far faster than the
     * row-by-row solve ({@link GemmDistances}). In double, with the shrinkage every class gets, the
     * inverse's rounding is far below what could move a decision (tested against the solve).
     */
    public double[] inverseLower() {
        double[] w = new double[n * n];
        for (int j = 0; j < n; j++) {
            w[j * n + j] = 1.0 / lower[j * n + j];
            for (int i = j + 1; i < n; i++) {
                int ri = i * n;
                double s = 0;
                for (int k = j; k < i; k++) s += lower[ri + k] * w[k * n + j];
                w[ri + j] = -s / lower[ri + i];
            }
        }
        return w;
    }

    /**
     * Squared Mahalanobis distances of {@code count} vectors stored as columns, {@code x[j*stride + b]} being
     * component j of vector b, from {@code mu}: forward substitution L z = x - mu run for all vectors at once,
     * one row of z at a time, so the inner loops run along the vectors (contiguous, vectorised by the JIT)
     * instead of along a dot product (a serial floating-point reduction the JIT cannot vectorise). Also adds
     * the squared Euclidean distances, which fall out of the same pass over x - mu.
     *
     * @param z           scratch, at least n * stride
     * @param mahalanobis out: squared Mahalanobis distance of vector b at index b (first {@code count})
     * @param euclidean   out: squared Euclidean distance of vector b at index b (first {@code count})
     */
    void distancesColumns(double[] x, double[] mu, int count, int stride, double[] z, double[] mahalanobis, double[] euclidean) {
        java.util.Arrays.fill(mahalanobis, 0, count, 0.0);
        java.util.Arrays.fill(euclidean, 0, count, 0.0);
        for (int i = 0; i < n; i++) {
            int zi = i * stride, ri = i * n;
            double m = mu[i];
            for (int b = 0; b < count; b++) {
                double d = x[zi + b] - m;
                z[zi + b] = d;
                euclidean[b] += d * d;
            }
            for (int j = 0; j < i; j++) {
                double l = lower[ri + j];
                if (l == 0) continue;
                int zj = j * stride;
                for (int b = 0; b < count; b++) z[zi + b] -= l * z[zj + b];
            }
            double inv = 1.0 / lower[ri + i];
            for (int b = 0; b < count; b++) {
                double v = z[zi + b] * inv;
                z[zi + b] = v;
                mahalanobis[b] += v * v;
            }
        }
    }

    /** a[ao..ao+len) . b[bo..bo+len) with four partial sums, so the adds do not wait on each other. */
    private static double dot(double[] a, int ao, double[] b, int bo, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < len; k += 4) {
            s0 += a[ao + k] * b[bo + k];
            s1 += a[ao + k + 1] * b[bo + k + 1];
            s2 += a[ao + k + 2] * b[bo + k + 2];
            s3 += a[ao + k + 3] * b[bo + k + 3];
        }
        for (; k < len; k++) s0 += a[ao + k] * b[bo + k];
        return (s0 + s1) + (s2 + s3);
    }
}
