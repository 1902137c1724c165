package dev.semiactive.plar;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * Per-class feature statistics for PLAR: mean mu_c and a regularised covariance Sigma_c (kept as its
 * Cholesky factor) for every <em>candidate</em> class, built by {@link ClassStatisticsAccumulator#build}.
 * Immutable and safe to share between threads (distance methods take a caller-owned {@link Workspace}).
 *
 * <p>Covariance recipe for a candidate class c with n_c samples (see docs/plar.md):
 * <ol>
 *   <li>S_c = sample covariance (1/(n-1); 1/n under Ledoit-Wolf; 0 for a single sample).</li>
 *   <li>class-balanced only: B_c = (n_c S_c + k Pool) / (n_c + k), Pool = mean of the S_c of all
 *       candidate classes; otherwise B_c = S_c.</li>
 *   <li>Sigma_c = (1 - a) B_c + a (tr(B_c)/d) I, a = fixed or Ledoit-Wolf.</li>
 *   <li>Zero spread (tr(B_c) = 0: one sample, or all samples identical): Sigma_c = v I with v the pooled
 *       variance, because a point mass says nothing about its spread and the average class spread is the
 *       best available guess.</li>
 *   <li>Cholesky with jitter fallback ({@link Cholesky#factorWithJitter}) for whatever is still not
 *       numerically positive definite (e.g. a = 0 and d > n).</li>
 * </ol>
 * Non-candidate classes (fewer than {@link StatisticsOptions#minSamplesPerClass()} samples) have no
 * statistics: their distances are +infinity, so no rule can ever choose them.
 */
public final class ClassStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(ClassStatistics.class);

    private final int numClasses;
    private final int dim;
    private final int[] sampleCounts;
    private final long[] seenCounts;
    private final double[][] means;
    private final Cholesky[] factors;
    private final double[] shrinkageUsed;
    private final double pooledVariance;
    private final int candidateCount;
    private final StatisticsOptions options;

    private ClassStatistics(int numClasses, int dim, int[] sampleCounts, long[] seenCounts, double[][] means,
                            Cholesky[] factors, double[] shrinkageUsed, double pooledVariance, StatisticsOptions options) {
        this.numClasses = numClasses;
        this.dim = dim;
        this.sampleCounts = sampleCounts;
        this.seenCounts = seenCounts;
        this.means = means;
        this.factors = factors;
        this.shrinkageUsed = shrinkageUsed;
        this.pooledVariance = pooledVariance;
        this.options = options;
        int n = 0;
        for (double[] m : means) if (m != null) n++;
        this.candidateCount = n;
    }

    /**
     * Builds statistics from per-class sample matrices.
     *
     * @param samples per class, row-major n_c x dim floats (only the first counts[c]*dim values are read)
     */
    static ClassStatistics fromSamples(float[][] samples, int[] counts, long[] seen, int dim, StatisticsOptions opt) {
        int k = counts.length;
        boolean lw = opt.shrinkage().ledoitWolf();
        double[][] means = new double[k][];
        double[][] covs = new double[k][];
        double[] lwIntensity = new double[k];
        for (int c = 0; c < k; c++) {
            int n = counts[c];
            if (n < opt.minSamplesPerClass() || n == 0) continue;
            means[c] = mean(samples[c], n, dim);
            double[] scatter = new double[dim * dim];
            double sumNorm4 = scatter(samples[c], n, dim, means[c], scatter);
            double denom = lw ? n : Math.max(1, n - 1);
            for (int i = 0; i < scatter.length; i++) scatter[i] /= denom;
            covs[c] = scatter;
            if (lw) lwIntensity[c] = ledoitWolfIntensity(scatter, dim, n, sumNorm4);
        }

        // Pooled quantities weigh every candidate class equally, so frequent classes do not dominate.
        int candidates = 0;
        double traceSum = 0;
        double[] pool = opt.classBalanced() ? new double[dim * dim] : null;
        for (int c = 0; c < k; c++) {
            if (covs[c] == null) continue;
            candidates++;
            traceSum += trace(covs[c], dim);
            if (pool != null) for (int i = 0; i < pool.length; i++) pool[i] += covs[c][i];
        }
        double pooledVariance = candidates > 0 && traceSum > 0 ? traceSum / candidates / dim : 1.0;
        if (pool != null && candidates > 0) for (int i = 0; i < pool.length; i++) pool[i] /= candidates;

        Cholesky[] factors = new Cholesky[k];
        double[] shrinkageUsed = new double[k];
        Arrays.fill(shrinkageUsed, Double.NaN);
        double prior = opt.pooledPriorStrength(dim);
        for (int c = 0; c < k; c++) {
            if (covs[c] == null) continue;
            double[] b = covs[c];
            if (pool != null) {
                double wOwn = counts[c] / (counts[c] + prior), wPool = prior / (counts[c] + prior);
                for (int i = 0; i < b.length; i++) b[i] = wOwn * b[i] + wPool * pool[i];
            }
            double a = lw ? lwIntensity[c] : opt.shrinkage().intensity();
            double target = trace(b, dim) / dim;
            if (!(target > 0)) {
                // Zero spread: no shape information at all, fall back to the pooled isotropic spread.
                Arrays.fill(b, 0.0);
                for (int i = 0; i < dim; i++) b[i * dim + i] = pooledVariance;
                a = 1.0;
            } else {
                for (int i = 0; i < b.length; i++) b[i] *= (1 - a);
                for (int i = 0; i < dim; i++) b[i * dim + i] += a * target;
            }
            shrinkageUsed[c] = a;
            factors[c] = Cholesky.factorWithJitter(b, dim);
            covs[c] = null; // let the d x d matrix go as soon as it is factored
            if (factors[c].jitter() > 0)
                LOG.debug("class {}: covariance needed jitter {} to be positive definite", c, factors[c].jitter());
        }
        for (int c = 0; c < k; c++)
            if (means[c] == null && counts[c] > 0)
                LOG.info("PLAR: class {} has only {} sampled pixels (< {}): not a refinement candidate", c, counts[c],
                        opt.minSamplesPerClass());
        return new ClassStatistics(k, dim, counts.clone(), seen.clone(), means, factors, shrinkageUsed, pooledVariance, opt);
    }

    private static double[] mean(float[] x, int n, int dim) {
        double[] mu = new double[dim];
        for (int r = 0, o = 0; r < n; r++, o += dim)
            for (int j = 0; j < dim; j++) mu[j] += x[o + j];
        for (int j = 0; j < dim; j++) mu[j] /= n;
        return mu;
    }

    /** Fills out with sum_k (x_k - mu)(x_k - mu)^T (full symmetric) and returns sum_k ||x_k - mu||^4. */
    private static double scatter(float[] x, int n, int dim, double[] mu, double[] out) {
        double[] row = new double[dim];
        double sumNorm4 = 0;
        for (int r = 0, o = 0; r < n; r++, o += dim) {
            double norm2 = 0;
            for (int j = 0; j < dim; j++) {
                row[j] = x[o + j] - mu[j];
                norm2 += row[j] * row[j];
            }
            sumNorm4 += norm2 * norm2;
            // Upper triangle only: half the work, mirrored below.
            for (int i = 0; i < dim; i++) {
                double ri = row[i];
                if (ri == 0) continue;
                int base = i * dim;
                for (int j = i; j < dim; j++) out[base + j] += ri * row[j];
            }
        }
        for (int i = 0; i < dim; i++)
            for (int j = 0; j < i; j++) out[i * dim + j] = out[j * dim + i];
        return sumNorm4;
    }

    /** Ledoit-Wolf optimal shrinkage towards (tr(S)/d) I for the biased covariance s of n samples. */
    static double ledoitWolfIntensity(double[] s, int dim, int n, double sumNorm4) {
        double mu = trace(s, dim) / dim;
        double fro2 = 0;
        for (double v : s) fro2 += v * v;
        double delta = (fro2 - dim * mu * mu) / dim;       // ||S - mu I||_F^2 / d
        double beta = (sumNorm4 / n - fro2) / ((double) dim * n);
        beta = Math.max(0.0, Math.min(beta, delta));       // rounding can make beta slightly negative
        return delta > 0 ? beta / delta : 0.0;             // delta = 0: S is already isotropic
    }

    private static double trace(double[] m, int dim) {
        double t = 0;
        for (int i = 0; i < dim; i++) t += m[i * dim + i];
        return t;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Feature dimension d. */
    public int dimension() {
        return dim;
    }

    /** Whether PLAR may assign class c (it had at least minSamplesPerClass sampled pixels). */
    public boolean isCandidate(int c) {
        return means[c] != null;
    }

    public int candidateCount() {
        return candidateCount;
    }

    /** Sampled pixels of class c the statistics were computed from (at most the reservoir size). */
    public int sampleCount(int c) {
        return sampleCounts[c];
    }

    /** Labelled pixels of class c seen by the accumulator (before reservoir sampling). */
    public long seenCount(int c) {
        return seenCounts[c];
    }

    /** Copy of mu_c. */
    public double[] mean(int c) {
        requireCandidate(c);
        return means[c].clone();
    }

    /** Copy of the regularised covariance Sigma_c (including any jitter), rebuilt as L L^T. */
    public double[] covariance(int c) {
        requireCandidate(c);
        Cholesky l = factors[c];
        double[] s = new double[dim * dim];
        for (int i = 0; i < dim; i++)
            for (int j = 0; j <= i; j++) {
                double v = 0;
                for (int t = 0; t <= j; t++) v += l.get(i, t) * l.get(j, t);
                s[i * dim + j] = v;
                s[j * dim + i] = v;
            }
        return s;
    }

    /** The Cholesky factor of Sigma_c. */
    public Cholesky factor(int c) {
        requireCandidate(c);
        return factors[c];
    }

    /** Shrinkage intensity a applied to class c (1.0 when the zero-spread rule applied; NaN if not a candidate). */
    public double shrinkageUsed(int c) {
        return shrinkageUsed[c];
    }

    /**
     * Mean over candidate classes of tr(S_c)/d (1.0 if there is no spread anywhere): the typical
     * per-dimension variance, used as the zero-spread fallback and as the Euclidean scale of fusion.
     */
    public double pooledVariance() {
        return pooledVariance;
    }

    public StatisticsOptions options() {
        return options;
    }

    /** Scratch space for {@link #distances} of up to {@code capacity} vectors at a time. */
    public Workspace newWorkspace(int capacity) {
        // classes are independent: a batch's classes are spread over the cores (each class on one thread, so
        // the result does not depend on the thread count); one lane for a single vector
        int lanes = capacity == 1 ? 1 : Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), candidateCount));
        return new Workspace(dim, capacity, lanes);
    }

    /** The plain-Java {@link BatchDistances} of these statistics: a workspace of {@code capacity} vectors. */
    public BatchDistances batchDistances(int capacity) {
        Workspace ws = newWorkspace(capacity);
        return new BatchDistances() {
            @Override
            public ClassStatistics statistics() {
                return ClassStatistics.this;
            }

            @Override
            public int capacity() {
                return capacity;
            }

            @Override
            public void distances(double[] features, int count, double[] euclideanSq, double[] mahalanobisSq) {
                ClassStatistics.this.distances(features, count, euclideanSq, mahalanobisSq, ws);
            }
        };
    }

    /**
     * Squared Euclidean distances of {@code count} row-major vectors to every class mean, at index
     * {@code b * numClasses + c}; +infinity for non-candidates. The same sums, in the same order, as the
     * triangular solve's pass over x - mu, so both distance paths give identical Euclidean distances.
     */
    void euclideanDistances(double[] features, int count, double[] euclideanSq) {
        for (int b = 0, o = 0; b < count; b++, o += dim)
            for (int c = 0; c < numClasses; c++) {
                double[] mu = means[c];
                if (mu == null) {
                    euclideanSq[b * numClasses + c] = Double.POSITIVE_INFINITY;
                    continue;
                }
                double e = 0;
                for (int j = 0; j < dim; j++) {
                    double d = features[o + j] - mu[j];
                    e += d * d;
                }
                euclideanSq[b * numClasses + c] = e;
            }
    }

    /** Scratch space for one vector at a time. */
    public Workspace newWorkspace() {
        return newWorkspace(1);
    }

    /**
     * Scratch for a batch of vectors: the batch as columns, and per lane (one class at a time each) the
     * triangular-solve rows and the two distance sums. Not thread-safe: one per refiner.
     */
    public static final class Workspace {
        final int dim;
        final int capacity;
        final int lanes;
        final double[] columns;
        final double[][] solve;
        final double[][] mahalanobis;
        final double[][] euclidean;

        private Workspace(int dim, int capacity, int lanes) {
            if (capacity < 1) throw new IllegalArgumentException("workspace capacity must be >= 1, got " + capacity);
            this.dim = dim;
            this.capacity = capacity;
            this.lanes = lanes;
            columns = new double[dim * capacity];
            solve = new double[lanes][dim * capacity];
            mahalanobis = new double[lanes][capacity];
            euclidean = new double[lanes][capacity];
        }

        public int capacity() {
            return capacity;
        }
    }

    /**
     * Squared Euclidean and squared Mahalanobis distances from feature vector f to every class, written to
     * {@code euclideanSq} and {@code mahalanobisSq} (length numClasses); +infinity for non-candidates.
     */
    public void distances(double[] f, double[] euclideanSq, double[] mahalanobisSq, Workspace ws) {
        distances(f, 1, euclideanSq, mahalanobisSq, ws);
    }

    /**
     * Batched form: {@code features} holds {@code count} vectors (row-major count x d); distances of vector
     * b to class c go to index b*numClasses + c of the outputs. Allocates nothing. The batch is transposed
     * once so that every class's solve runs along the vectors ({@link Cholesky}); with a workspace of more
     * than one lane the classes are shared among the cores.
     */
    public void distances(double[] features, int count, double[] euclideanSq, double[] mahalanobisSq, Workspace ws) {
        if (ws.dim != dim) throw new IllegalArgumentException("workspace is for dimension " + ws.dim + ", statistics " + dim);
        if (count > ws.capacity) throw new IllegalArgumentException(count + " vectors exceed workspace capacity " + ws.capacity);
        int stride = ws.capacity;
        double[] cols = ws.columns;
        for (int b = 0, o = 0; b < count; b++, o += dim)
            for (int j = 0; j < dim; j++) cols[j * stride + b] = features[o + j];
        if (ws.lanes == 1) {
            for (int c = 0; c < numClasses; c++) classDistances(c, count, ws, 0, euclideanSq, mahalanobisSq);
        } else {
            java.util.stream.IntStream.range(0, ws.lanes).parallel().forEach(lane -> {
                for (int c = lane; c < numClasses; c += ws.lanes) classDistances(c, count, ws, lane, euclideanSq, mahalanobisSq);
            });
        }
    }

    /** Distances of the workspace's columns to class c, written to the outputs' column c. */
    private void classDistances(int c, int count, Workspace ws, int lane, double[] euclideanSq, double[] mahalanobisSq) {
        if (means[c] == null) {
            for (int b = 0; b < count; b++) {
                euclideanSq[b * numClasses + c] = Double.POSITIVE_INFINITY;
                mahalanobisSq[b * numClasses + c] = Double.POSITIVE_INFINITY;
            }
            return;
        }
        double[] m = ws.mahalanobis[lane], e = ws.euclidean[lane];
        factors[c].distancesColumns(ws.columns, means[c], count, ws.capacity, ws.solve[lane], m, e);
        for (int b = 0; b < count; b++) {
            euclideanSq[b * numClasses + c] = e[b];
            mahalanobisSq[b * numClasses + c] = m[b];
        }
    }

    /** Squared Mahalanobis distance of f to class c (allocates; for diagnostics and tests). */
    public double mahalanobisSquared(int c, double[] f) {
        requireCandidate(c);
        double[] diff = new double[dim];
        for (int j = 0; j < dim; j++) diff[j] = f[j] - means[c][j];
        return factors[c].mahalanobisSquared(diff, new double[dim]);
    }

    private void requireCandidate(int c) {
        if (c < 0 || c >= numClasses) throw new IndexOutOfBoundsException("class " + c + " of " + numClasses);
        if (means[c] == null)
            throw new IllegalStateException("class " + c + " is not a PLAR candidate (" + sampleCounts[c] + " samples)");
    }
}
