package dev.semiactive.plar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.semiactive.train.NativeStaging;

/**
 * PLAR's Mahalanobis distances as one matrix product in the engine: with W_c = L_c^{-1} (the inverse Cholesky
 * factor of class c's covariance) and v_c = W_c mu_c, the squared distance of x is ||W_c x - v_c||^2, so a
 * batch X (count x d) times every candidate's W_c^T side by side (d x Kd) gives all of them at once.
 *
 * <p>Why: the row-by-row triangular solve in Java ({@link ClassStatistics#distances}) ran at ~2-3 GFLOP/s and
 * was ~80% of a CamVid round's pool scoring (d = 256, 11 classes: 360k multiply-adds per flagged pixel); the
 * engine's float64 GEMM does twice the arithmetic (W is dense in the product) at several times the speed
 * (BENCHMARKS.md, "PLAR distances"). Float64, so subtracting v_c after the product loses nothing that could
 * move a decision. Euclidean distances stay in Java (d multiply-adds per class). The matrices live in a
 * sub-manager of the caller's, closed by {@link #close} or with the parent.
 */
public final class GemmDistances implements BatchDistances {
    private final ClassStatistics stats;
    private final int capacity;
    private final int dim;
    private final int[] candidates;
    private final NDManager manager;
    private final NDArray inverseFactors;
    private final NDArray shifts;

    /**
     * @param stats    the round's class statistics
     * @param parent   manager the matrices live under (a scoring pass's)
     * @param capacity most vectors per call: an image's flagged feature pixels fit in one product
     */
    public GemmDistances(ClassStatistics stats, NDManager parent, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        this.stats = stats;
        this.capacity = capacity;
        this.dim = stats.dimension();
        int k = stats.numClasses();
        int[] cand = new int[stats.candidateCount()];
        for (int c = 0, i = 0; c < k; c++) if (stats.isCandidate(c)) cand[i++] = c;
        this.candidates = cand;
        int width = cand.length * dim;
        // wt[j, ci*d + i] = W_c[i, j]: column block ci of X wt is W_c x for every row x of X
        double[] wt = new double[dim * Math.max(width, 1)];
        double[] v = new double[Math.max(width, 1)];
        for (int ci = 0; ci < cand.length; ci++) {
            double[] w = stats.factor(cand[ci]).inverseLower();
            double[] mu = stats.mean(cand[ci]);
            for (int i = 0; i < dim; i++) {
                double s = 0;
                for (int j = 0; j <= i; j++) {
                    double wij = w[i * dim + j];
                    wt[j * width + ci * dim + i] = wij;
                    s += wij * mu[j];
                }
                v[ci * dim + i] = s;
            }
        }
        this.manager = parent.newSubManager();
        if (cand.length == 0) {
            this.inverseFactors = null;
            this.shifts = null;
        } else {
            this.inverseFactors = NativeStaging.doubles(manager, wt, wt.length, new Shape(dim, width));
            this.shifts = NativeStaging.doubles(manager, v, v.length, new Shape(1, width));
        }
    }

    @Override
    public ClassStatistics statistics() {
        return stats;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void distances(double[] features, int count, double[] euclideanSq, double[] mahalanobisSq) {
        if (count < 1 || count > capacity) throw new IllegalArgumentException(count + " vectors, capacity " + capacity);
        int k = stats.numClasses();
        stats.euclideanDistances(features, count, euclideanSq);
        for (int b = 0; b < count; b++)
            for (int c = 0; c < k; c++) mahalanobisSq[b * k + c] = Double.POSITIVE_INFINITY;
        if (candidates.length == 0) return;
        double[] m;
        try (NDManager step = manager.newSubManager()) {
            NDArray x = NativeStaging.doubles(step, features, count * dim, new Shape(count, dim));
            m = x.matMul(inverseFactors).sub(shifts).reshape(count, candidates.length, dim)
                    .square().sum(new int[] {2}).toDoubleArray();
        }
        for (int b = 0; b < count; b++)
            for (int ci = 0; ci < candidates.length; ci++) mahalanobisSq[b * k + candidates[ci]] = m[b * candidates.length + ci];
    }

    @Override
    public void close() {
        manager.close();
    }
}
