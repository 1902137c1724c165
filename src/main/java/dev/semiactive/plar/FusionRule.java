package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;

import java.util.Locale;

/**
 * Probabilistic fusion of the two distances (the paper's open question, an option measured against the
 * vote). Each metric becomes a class distribution through a softmax over Gaussian log-likelihoods with
 * equal class priors:
 * <pre>
 *   p_E(c) = softmax_c( -||f - mu_c||^2 / (2 T v) )      v = pooled per-dimension variance
 *   p_M(c) = softmax_c( -Mahalanobis^2(f; c) / (2 T) )
 * </pre>
 * Dividing the Euclidean distance by v makes the temperature T mean the same for both metrics whatever
 * the scale of the features. The two distributions are pooled and the pixel gets the pooled argmax if
 * its probability is at least {@code threshold}, else it is undecided.
 *
 * <p>Pools: {@link Pool#LINEAR} (default) = (p_E + p_M)/2. When the metrics are confident about
 * different classes the pooled maximum is about 0.5, below the default threshold 0.7, so strong
 * disagreement is undecided (as in the vote), while weak disagreement can still be resolved.
 * {@link Pool#GEOMETRIC} = p_E * p_M renormalised (product of experts): sharper, but two confident
 * experts that disagree produce a confident winner (whichever is less extreme), so it can refine pixels
 * the vote would leave undecided; offered for comparison.
 */
public final class FusionRule implements DecisionRule {
    public static final String NAME = "fusion";
    public static final double DEFAULT_TEMPERATURE = 1.0;
    public static final double DEFAULT_THRESHOLD = 0.7;

    /** How the two per-metric distributions are combined. */
    public enum Pool {
        LINEAR, GEOMETRIC;

        public static Pool parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new SemiactiveException("plar fusion pool '" + value + "' is not valid: use linear or geometric");
            }
        }
    }

    private final double temperature;
    private final double threshold;
    private final Pool pool;

    private FusionRule(Builder b) {
        this.temperature = b.temperature;
        this.threshold = b.threshold;
        this.pool = b.pool;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int decide(double[] euclideanSq, double[] mahalanobisSq, ClassStatistics stats) {
        double scaleE = 1.0 / (2 * temperature * stats.pooledVariance());
        double scaleM = 1.0 / (2 * temperature);
        // Logits are -scale * distance; the max logit is at the min distance. Subtracting it keeps exp() in range.
        double minE = min(euclideanSq), minM = min(mahalanobisSq);
        if (!Double.isFinite(minE) || !Double.isFinite(minM)) return UNDECIDED;
        int k = euclideanSq.length;
        int best = UNDECIDED;
        double bestP = -1;
        if (pool == Pool.LINEAR) {
            double zE = 0, zM = 0;
            for (int c = 0; c < k; c++) {
                zE += Math.exp(-(euclideanSq[c] - minE) * scaleE);
                zM += Math.exp(-(mahalanobisSq[c] - minM) * scaleM);
            }
            for (int c = 0; c < k; c++) {
                double p = 0.5 * (Math.exp(-(euclideanSq[c] - minE) * scaleE) / zE
                        + Math.exp(-(mahalanobisSq[c] - minM) * scaleM) / zM);
                if (p > bestP) {
                    bestP = p;
                    best = c;
                }
            }
        } else {
            // Product of experts: pooled logit = sum of the two logits.
            double maxLogit = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double l = -(euclideanSq[c] - minE) * scaleE - (mahalanobisSq[c] - minM) * scaleM;
                if (l > maxLogit) {
                    maxLogit = l;
                    best = c;
                }
            }
            if (maxLogit == Double.NEGATIVE_INFINITY) return UNDECIDED;
            double z = 0;
            for (int c = 0; c < k; c++)
                z += Math.exp(-(euclideanSq[c] - minE) * scaleE - (mahalanobisSq[c] - minM) * scaleM - maxLogit);
            bestP = 1.0 / z;
        }
        return bestP >= threshold ? best : UNDECIDED;
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) m = Math.min(m, x);
        return m;
    }

    public double temperature() {
        return temperature;
    }

    public double threshold() {
        return threshold;
    }

    public Pool pool() {
        return pool;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return NAME + "{T=" + temperature + ", threshold=" + threshold + ", pool=" + pool.name().toLowerCase(Locale.ROOT) + "}";
    }

    public static final class Builder {
        private double temperature = DEFAULT_TEMPERATURE;
        private double threshold = DEFAULT_THRESHOLD;
        private Pool pool = Pool.LINEAR;

        private Builder() {
        }

        /** Softmax temperature T > 0 (default 1: the Gaussian likelihood itself); larger = softer. */
        public Builder optTemperature(double t) {
            if (!(t > 0) || Double.isInfinite(t))
                throw new SemiactiveException("plar fusion temperature " + t + " is not valid: use a positive number");
            this.temperature = t;
            return this;
        }

        /** Minimum pooled probability to refine (default 0.7); in (0, 1]. */
        public Builder optThreshold(double threshold) {
            if (!(threshold > 0 && threshold <= 1))
                throw new SemiactiveException("plar fusion threshold " + threshold + " is not valid: use a number in (0, 1]");
            this.threshold = threshold;
            return this;
        }

        public Builder optPool(Pool pool) {
            this.pool = java.util.Objects.requireNonNull(pool, "pool");
            return this;
        }

        public FusionRule build() {
            return new FusionRule(this);
        }
    }
}
