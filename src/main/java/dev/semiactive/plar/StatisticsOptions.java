package dev.semiactive.plar;

/**
 * How {@link ClassStatisticsAccumulator#build(StatisticsOptions)} turns sampled pixels into class
 * statistics. Every value has a default; see docs/plar.md for why.
 *
 * <ul>
 *   <li>{@code shrinkage} ({@link Shrinkage#DEFAULT}, fixed 0.1): pull of each covariance towards
 *       (tr/d)*I.</li>
 *   <li>{@code minSamplesPerClass} (10): a class with fewer sampled pixels is not a PLAR candidate at all:
 *       PLAR never assigns it (a mean from a handful of pixels is mostly noise), so pixels of such a class
 *       are left to the teacher or to manual labelling; see {@link PlarRefiner} for when that makes a
 *       pixel undecided.</li>
 *   <li>{@code classBalanced} (false): rare classes borrow the pooled within-class covariance. The pool is
 *       the plain average of the candidate classes' covariances (each class weighs the same, however many
 *       pixels it has), and class c uses B_c = (n_c S_c + k Pool) / (n_c + k) before shrinkage: a
 *       normal-inverse-Wishart style posterior in which the pool counts as k pseudo-samples. A class with
 *       few samples is thus mostly the pool (a stable shape), a class with many is mostly itself. Equal
 *       sample budgets per class come from the accumulator's per-class reservoirs in both modes.</li>
 *   <li>{@code pooledPriorStrength} (k; default: the feature dimension d, the point from which a sample
 *       covariance is no longer rank-deficient): only used when classBalanced.</li>
 * </ul>
 */
public final class StatisticsOptions {
    public static final int DEFAULT_MIN_SAMPLES_PER_CLASS = 10;

    private final Shrinkage shrinkage;
    private final int minSamplesPerClass;
    private final boolean classBalanced;
    private final double pooledPriorStrength;

    private StatisticsOptions(Builder b) {
        this.shrinkage = b.shrinkage;
        this.minSamplesPerClass = b.minSamplesPerClass;
        this.classBalanced = b.classBalanced;
        this.pooledPriorStrength = b.pooledPriorStrength;
    }

    public static StatisticsOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Shrinkage shrinkage() {
        return shrinkage;
    }

    public int minSamplesPerClass() {
        return minSamplesPerClass;
    }

    public boolean classBalanced() {
        return classBalanced;
    }

    /** The prior strength k for feature dimension {@code dim}: the configured value, or dim by default. */
    public double pooledPriorStrength(int dim) {
        return Double.isNaN(pooledPriorStrength) ? dim : pooledPriorStrength;
    }

    @Override
    public String toString() {
        return "StatisticsOptions{shrinkage=" + shrinkage + ", minSamplesPerClass=" + minSamplesPerClass
                + ", classBalanced=" + classBalanced + ", pooledPriorStrength="
                + (Double.isNaN(pooledPriorStrength) ? "d" : pooledPriorStrength) + "}";
    }

    public static final class Builder {
        private Shrinkage shrinkage = Shrinkage.DEFAULT;
        private int minSamplesPerClass = DEFAULT_MIN_SAMPLES_PER_CLASS;
        private boolean classBalanced;
        private double pooledPriorStrength = Double.NaN;

        private Builder() {
        }

        public Builder optShrinkage(Shrinkage shrinkage) {
            this.shrinkage = java.util.Objects.requireNonNull(shrinkage, "shrinkage");
            return this;
        }

        public Builder optMinSamplesPerClass(int min) {
            if (min < 1) throw new IllegalArgumentException("minSamplesPerClass must be >= 1, got " + min);
            this.minSamplesPerClass = min;
            return this;
        }

        public Builder optClassBalanced(boolean classBalanced) {
            this.classBalanced = classBalanced;
            return this;
        }

        /** Pseudo-sample count of the pooled covariance in class-balanced mode (> 0). */
        public Builder optPooledPriorStrength(double k) {
            if (!(k > 0) || Double.isInfinite(k))
                throw new IllegalArgumentException("pooledPriorStrength must be a positive number, got " + k);
            this.pooledPriorStrength = k;
            return this;
        }

        public StatisticsOptions build() {
            return new StatisticsOptions(this);
        }
    }
}
