package dev.semiactive.al;

import java.util.Set;
import java.util.function.Predicate;

/**
 * What one round may select.
 *
 * @param pixelAllowance the most pixels the round may label (from {@link Budget#allowance})
 * @param excluded       regions that must not be selected: labelled or already queried ones (a region
 *                       is never labelled twice). Coreset uses them as the already-covered centres.
 * @param poolImages     number of images that will be streamed (0 if unknown); s4al uses it to derive
 *                       its per-image quota
 */
public record SelectionRequest(long pixelAllowance, Predicate<String> excluded, int poolImages) {
    public SelectionRequest {
        if (pixelAllowance < 0) throw new IllegalArgumentException("pixel allowance " + pixelAllowance + " < 0");
    }

    public static SelectionRequest of(long pixelAllowance, Set<String> excludedIds) {
        Set<String> copy = Set.copyOf(excludedIds);
        return new SelectionRequest(pixelAllowance, copy::contains, 0);
    }

    public SelectionRequest withPoolImages(int n) {
        return new SelectionRequest(pixelAllowance, excluded, n);
    }
}
