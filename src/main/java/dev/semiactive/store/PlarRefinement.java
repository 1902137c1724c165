package dev.semiactive.store;

import dev.semiactive.data.LabelSpace;

import java.util.BitSet;

/**
 * PLAR's outcome for one image in one round.
 *
 * @param imageId   the image
 * @param round     the round
 * @param width     columns
 * @param height    rows
 * @param refined   per pixel: the auto-refined class, or {@link LabelSpace#IGNORE} where PLAR did not
 *                  refine
 * @param undecided pixels where the two distance votes disagreed (candidates for manual labelling)
 */
public record PlarRefinement(String imageId, int round, int width, int height, int[] refined, BitSet undecided) {
    public PlarRefinement {
        if (refined.length != width * height)
            throw new IllegalArgumentException("PLAR refinement of " + imageId + ": " + refined.length + " labels for " + width + "x" + height);
        if (undecided.length() > width * height)
            throw new IllegalArgumentException("PLAR refinement of " + imageId + ": undecided bit beyond " + width + "x" + height);
    }

    public int refinedCount() {
        int n = 0;
        for (int v : refined) if (v != LabelSpace.IGNORE) n++;
        return n;
    }

    public int undecidedCount() {
        return undecided.cardinality();
    }
}
