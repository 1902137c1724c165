package dev.semiactive.al;

import dev.semiactive.store.LabelStats;

import java.util.HashSet;
import java.util.Set;

/**
 * The label budget, counted in labelled PIXELS as a fraction of the pool's total pixels; regions
 * (annotation clicks) and images touched are reported alongside. A region costs all its pixels (void
 * ones included: the annotator looked at them). The budget is never exceeded: {@link #charge} refuses a
 * region that does not fit, and a round's selection only takes regions that fit the round's allowance
 * ({@link #allowance}).
 */
public final class Budget {
    private final long poolPixels;
    private final long limitPixels;
    private long spentPixels;
    private long regions;
    private final Set<String> images = new HashSet<>();

    /**
     * @param poolPixels total pixels of the training pool (the denominator)
     * @param fraction   total budget as a fraction of the pool, in [0, 1] (0.08 = 8% of pixels)
     */
    public static Budget ofFraction(long poolPixels, double fraction) {
        if (!(fraction >= 0 && fraction <= 1))
            throw new IllegalArgumentException("budget fraction " + fraction + " outside [0, 1]");
        return new Budget(poolPixels, (long) Math.floor(fraction * poolPixels));
    }

    public Budget(long poolPixels, long limitPixels) {
        if (poolPixels <= 0) throw new IllegalArgumentException("pool has " + poolPixels + " pixels");
        if (limitPixels < 0 || limitPixels > poolPixels)
            throw new IllegalArgumentException("budget " + limitPixels + " px outside [0, " + poolPixels + "]");
        this.poolPixels = poolPixels;
        this.limitPixels = limitPixels;
    }

    /**
     * Restores the spending recorded in a project store (pixels, regions, images touched): the store is
     * the truth, the budget is derived from it on resume.
     */
    public static Budget restore(dev.semiactive.store.ProjectStore store, double fraction) {
        Budget b = ofFraction(store.poolPixels(), fraction);
        LabelStats s = store.labelStats();
        if (s.pixels() > b.limitPixels)
            throw new dev.semiactive.SemiactiveException("project store " + store.file() + " already has " + s.pixels()
                + " labelled pixels, more than the budget of " + b.limitPixels + " (" + fraction * 100 + "%): raise the budget");
        b.spentPixels = s.pixels();
        b.regions = s.regions();
        b.images.addAll(store.labelledImageIds());
        return b;
    }

    /**
     * The pixels a round may spend: {@code roundFraction} of the pool, capped by what is left. A round
     * fraction of 1 means "everything that is left".
     */
    public long allowance(double roundFraction) {
        if (!(roundFraction >= 0 && roundFraction <= 1))
            throw new IllegalArgumentException("round budget fraction " + roundFraction + " outside [0, 1]");
        return Math.min(remainingPixels(), (long) Math.floor(roundFraction * poolPixels));
    }

    /** Share of one round's allowance under which what is left of the budget counts as spent ({@link #isSpent}). */
    public static final double SPENT_TOLERANCE = 0.01;

    /**
     * Whether the budget counts as spent for rounds of {@code roundFraction}: less than {@link #SPENT_TOLERANCE}
     * of one round's share of the pool is left (none left always counts as spent). Whole regions
     * rarely fill a round's allowance exactly, so after the last full round a few hundred pixels stay over
     * (CamVid, 16x16 cells: 512 px of 1,268,352 after 8 rounds); a round to top those up would train one more
     * whole round that the schedule the comparison measures against does not have.
     */
    public boolean isSpent(double roundFraction) {
        if (!(roundFraction >= 0 && roundFraction <= 1))
            throw new IllegalArgumentException("round budget fraction " + roundFraction + " outside [0, 1]");
        long tolerance = (long) Math.floor(SPENT_TOLERANCE * roundFraction * poolPixels);
        return remainingPixels() < Math.max(1, tolerance);
    }

    /** {@link #isSpent} of a budget of {@code fraction} of {@code poolPixels} with {@code labelledPixels} spent. */
    public static boolean isSpent(long poolPixels, double fraction, long labelledPixels, double roundFraction) {
        Budget b = ofFraction(poolPixels, fraction);
        b.spentPixels = labelledPixels;
        return b.isSpent(roundFraction);
    }

    public boolean fits(long pixels) {
        return pixels <= remainingPixels();
    }

    /** Spends a region's pixels. Throws if it does not fit: the budget is a hard limit. */
    public void charge(Region r) {
        charge(r.imageId(), r.pixelCount());
    }

    public void charge(String imageId, long pixels) {
        if (pixels < 0) throw new IllegalArgumentException("negative pixel count " + pixels);
        if (!fits(pixels))
            throw new IllegalStateException("charging " + pixels + " px would exceed the budget (" + remainingPixels() + " px left)");
        spentPixels += pixels;
        regions++;
        images.add(imageId);
    }

    public long poolPixels() {
        return poolPixels;
    }

    public long limitPixels() {
        return limitPixels;
    }

    public long spentPixels() {
        return spentPixels;
    }

    public long remainingPixels() {
        return limitPixels - spentPixels;
    }

    /** Labelled regions: annotation clicks. */
    public long regions() {
        return regions;
    }

    public int imagesTouched() {
        return images.size();
    }

    /** Spent pixels as a percentage of the pool. */
    public double percentSpent() {
        return 100.0 * spentPixels / poolPixels;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.3f%% of %d px (%d px, %d regions, %d images), limit %d px",
            percentSpent(), poolPixels, spentPixels, regions, images.size(), limitPixels);
    }
}
