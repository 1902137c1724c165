package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;

import java.util.Locale;

/**
 * How strongly a class covariance S is pulled towards the isotropic target (tr(S)/d)*I:
 * Sigma = (1 - a) * S + a * (tr(S)/d) * I. With d = 256 features and at most a few thousand samples per
 * class, S alone is badly conditioned (rank < d whenever n <= d), so some shrinkage is always needed.
 *
 * <ul>
 *   <li>{@link #fixed(double)}: a constant a in [0, 1]; the default is {@code fixed(0.1)}: cheap,
 *       predictable, and keeps every Sigma positive definite as soon as the class has any spread.</li>
 *   <li>{@link #ledoitWolfOptimal()}: the Ledoit-Wolf (2004) estimate of the MSE-optimal a for each class from
 *       its own samples (the same formula as scikit-learn's {@code ledoit_wolf_shrinkage}); then S is the
 *       biased (1/n) covariance the formula assumes.</li>
 * </ul>
 */
public record Shrinkage(double intensity, boolean ledoitWolf) {
    public static final Shrinkage DEFAULT = fixed(0.1);

    public Shrinkage {
        if (!ledoitWolf && !(intensity >= 0 && intensity <= 1))
            throw new IllegalArgumentException("shrinkage intensity must be in [0, 1], got " + intensity);
    }

    public static Shrinkage fixed(double intensity) {
        return new Shrinkage(intensity, false);
    }

    public static Shrinkage ledoitWolfOptimal() {
        return new Shrinkage(Double.NaN, true);
    }

    /** Parses a config value: a number in [0, 1] or {@code ledoit-wolf}. */
    public static Shrinkage parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("ledoit-wolf") || v.equals("ledoitwolf") || v.equals("lw")) return ledoitWolfOptimal();
        try {
            double a = Double.parseDouble(v);
            if (a >= 0 && a <= 1) return fixed(a);
        } catch (NumberFormatException ignored) {
            // fall through to the user-facing message
        }
        throw new SemiactiveException("plar shrinkage '" + value + "' is not valid: use a number in [0, 1] or ledoit-wolf");
    }

    @Override
    public String toString() {
        return ledoitWolf ? "ledoit-wolf" : Double.toString(intensity);
    }
}
