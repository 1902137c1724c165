package dev.semiactive.al;

import java.util.List;

/** Small hand-made images and regions for strategy tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** A 4x4 image in four 2x2 cells (g2), regions 0..3 = (0,0), (0,1), (1,0), (1,1). */
    static ImageRegions cells(String imageId) {
        return new RegionGrid(2).regionize(imageId, 4, 4);
    }

    /** Two-class probabilities (K x 16) where every pixel of cell r has p(class 0) = p0[r]. */
    static float[] twoClass(ImageRegions regions, double... p0) {
        int n = regions.width() * regions.height();
        float[] khw = new float[2 * n];
        for (int p = 0; p < n; p++) {
            double v = p0[regions.labelMap()[p]];
            khw[p] = (float) v;
            khw[n + p] = (float) (1 - v);
        }
        return khw;
    }

    static PixelEvidence evidence(ImageRegions regions, double... p0) {
        return PixelEvidence.builder().setImage(regions.imageId(), regions.width(), regions.height())
            .optProbabilities(twoClass(regions, p0), 2).build();
    }

    /** An image 1 pixel high whose regions are consecutive runs of the given sizes. */
    static ImageRegions runs(String imageId, List<Integer> sizes) {
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        int[] map = new int[total];
        int p = 0;
        for (int r = 0; r < sizes.size(); r++) for (int i = 0; i < sizes.get(r); i++) map[p++] = r;
        return new ImageRegions(imageId, "run", total, 1, map, i -> imageId + "#run:" + i);
    }

    static List<String> ids(List<Selection> s) {
        return s.stream().map(x -> x.region().id()).toList();
    }
}
