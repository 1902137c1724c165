package dev.semiactive.al;

/**
 * The one pixel -> region step: a region's score is the MEAN of a per-pixel map over its pixels (sum /
 * region size). Using the mean for every strategy keeps regions of different sizes (edge cells, SLIC
 * segments) comparable: a big region does not win just by having more pixels.
 */
public final class RegionReduction {
    private RegionReduction() {
    }

    public static double[] mean(float[] pixelMap, ImageRegions regions) {
        int[] map = regions.labelMap();
        if (pixelMap.length != map.length)
            throw new IllegalArgumentException("pixel map of " + regions.imageId() + " has " + pixelMap.length
                + " pixels but its regions cover " + map.length);
        double[] sum = new double[regions.size()];
        for (int p = 0; p < map.length; p++) sum[map[p]] += pixelMap[p];
        for (int r = 0; r < sum.length; r++) sum[r] /= regions.region(r).pixelCount();
        return sum;
    }

    /**
     * Each region's most frequent value of a per-pixel class map (values 0..k-1; the lowest class wins a tie):
     * e.g. the class the model predicts for most of the region.
     */
    public static int[] majority(int[] pixelClass, int k, ImageRegions regions) {
        int[] counts = classCounts(pixelClass, k, regions);
        int[] out = new int[regions.size()];
        for (int r = 0; r < out.length; r++) {
            int best = 0;
            for (int c = 1; c < k; c++) if (counts[r * k + c] > counts[r * k + best]) best = c;
            out[r] = best;
        }
        return out;
    }

    /**
     * Each region's impurity: the entropy of the histogram of a per-pixel class map over its pixels, divided by
     * ln k so that it lies in [0, 1]: 0 for a region of one class, 1 for one whose pixels are spread evenly over all
     * k classes. The region impurity of RIPU (Xie et al., CVPR 2022), on the region itself instead of a window round
     * each pixel.
     */
    public static double[] impurity(int[] pixelClass, int k, ImageRegions regions) {
        if (k < 2) throw new IllegalArgumentException("impurity needs at least 2 classes, got " + k);
        int[] counts = classCounts(pixelClass, k, regions);
        double[] out = new double[regions.size()];
        double norm = Math.log(k);
        for (int r = 0; r < out.length; r++) {
            int n = regions.region(r).pixelCount();
            double h = 0;
            for (int c = 0; c < k; c++) {
                int m = counts[r * k + c];
                if (m > 0) h -= (double) m / n * Math.log((double) m / n);
            }
            out[r] = Math.max(0, h / norm);
        }
        return out;
    }

    /** counts[r * k + c]: the pixels of region r whose value in the class map is c. */
    private static int[] classCounts(int[] pixelClass, int k, ImageRegions regions) {
        int[] map = regions.labelMap();
        if (pixelClass.length != map.length)
            throw new IllegalArgumentException("class map of " + regions.imageId() + " has " + pixelClass.length
                + " pixels but its regions cover " + map.length);
        int[] counts = new int[regions.size() * k];
        for (int p = 0; p < map.length; p++) counts[map[p] * k + pixelClass[p]]++;
        return counts;
    }
}
