package dev.semiactive.al;

/**
 * Region-pooled features for coreset: the mean of a (possibly lower-resolution) CHW feature map over
 * each region. A pixel (x, y) of the image reads feature cell (x * fw / W, y * fh / H) (nearest), so a
 * stride-16 F1 map pools onto 16x16 cells or SLIC segments alike.
 */
public final class RegionPooling {
    private RegionPooling() {
    }

    /**
     * @param chw features, D x fh x fw
     * @return one float[D] per region index
     */
    public static float[][] meanPool(float[] chw, int d, int fh, int fw, ImageRegions regions) {
        if (chw.length != d * fh * fw)
            throw new IllegalArgumentException("feature map length " + chw.length + " != " + d + "x" + fh + "x" + fw);
        int w = regions.width(), h = regions.height();
        int[] map = regions.labelMap();
        double[][] sum = new double[regions.size()][d];
        int plane = fh * fw;
        for (int y = 0; y < h; y++) {
            int fy = (int) ((long) y * fh / h);
            for (int x = 0; x < w; x++) {
                int cell = fy * fw + (int) ((long) x * fw / w);
                double[] s = sum[map[y * w + x]];
                for (int c = 0; c < d; c++) s[c] += chw[c * plane + cell];
            }
        }
        float[][] out = new float[regions.size()][d];
        for (int r = 0; r < out.length; r++) {
            double n = regions.region(r).pixelCount();
            for (int c = 0; c < d; c++) out[r][c] = (float) (sum[r][c] / n);
        }
        return out;
    }
}
