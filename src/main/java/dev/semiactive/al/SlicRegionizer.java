package dev.semiactive.al;

import java.util.Arrays;

/**
 * SLIC superpixels (Achanta et al., 2012) on a CHW float image: k-means in (Lab colour, x, y) with the
 * distance D^2 = d_colour^2 + (d_xy / S)^2 * m^2 (S = grid step, m = compactness), each centre searching
 * only a 2S x 2S window, then connectivity enforcement (components smaller than
 * {@code minSizeFactor * S^2} are merged into a neighbouring segment, the rest become segments of
 * their own) so that every segment is 4-connected.
 *
 * <p>Deterministic by construction: centres start on a regular grid (moved to the lowest-gradient pixel
 * of their 3x3 neighbourhood), there is no random draw, so no seed is needed and the same image and
 * parameters always give the same segments and ids ({@code imageId#slic:<n>}, n numbered in raster order
 * of each segment's first pixel).
 *
 * <p>Colour space: 3 or more channels: CIE Lab (D65) of the first three channels read as sRGB (IRRG
 * false colour is treated the same way: what matters is perceptual-ish distances), extra channels (a
 * DSM) are appended scaled to 0..100 like L; 1 or 2 channels: each scaled to 0..100.
 */
public final class SlicRegionizer implements Regionizer {
    private final int numSegments;
    private final int regionSize;
    private final double compactness;
    private final int iterations;
    private final double minSizeFactor;

    private SlicRegionizer(Builder b) {
        this.numSegments = b.numSegments;
        this.regionSize = b.regionSize;
        this.compactness = b.compactness;
        this.iterations = b.iterations;
        this.minSizeFactor = b.minSizeFactor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** SLIC settings. Give either a number of segments or a region size (default: region size 16). */
    public static final class Builder {
        private int numSegments;
        private int regionSize = 16;
        private double compactness = 10;
        private int iterations = 10;
        private double minSizeFactor = 0.25;

        /** Desired number of segments per image (approximate); overrides the region size. */
        public Builder optNumSegments(int n) {
            if (n < 1) throw new IllegalArgumentException("SLIC numSegments " + n + " < 1");
            this.numSegments = n;
            return this;
        }

        /** Grid step S in pixels (segments are about S x S). Default 16, the size of the default grid cell. */
        public Builder optRegionSize(int s) {
            if (s < 2) throw new IllegalArgumentException("SLIC regionSize " + s + " < 2");
            this.regionSize = s;
            this.numSegments = 0;
            return this;
        }

        /** m: higher = more square segments, lower = closer to colour edges. Default 10 (for Lab). */
        public Builder optCompactness(double m) {
            if (!(m > 0)) throw new IllegalArgumentException("SLIC compactness " + m + " must be > 0");
            this.compactness = m;
            return this;
        }

        public Builder optIterations(int n) {
            if (n < 1) throw new IllegalArgumentException("SLIC iterations " + n + " < 1");
            this.iterations = n;
            return this;
        }

        /** Components smaller than this fraction of S^2 are merged into a neighbour. Default 0.25. */
        public Builder optMinSizeFactor(double f) {
            if (f < 0 || f >= 1) throw new IllegalArgumentException("SLIC minSizeFactor " + f + " outside [0,1)");
            this.minSizeFactor = f;
            return this;
        }

        public SlicRegionizer build() {
            return new SlicRegionizer(this);
        }
    }

    @Override
    public String kind() {
        return "slic";
    }

    @Override
    public ImageRegions regionize(String imageId, int channels, int height, int width, float[] chw) {
        if (chw == null || chw.length != channels * height * width)
            throw new IllegalArgumentException("SLIC on " + imageId + ": image length does not match " + channels + "x" + height + "x" + width);
        int n = width * height;
        int cf = channels;
        float[] feat = features(chw, channels, n);
        double step = numSegments > 0 ? Math.sqrt((double) n / numSegments) : regionSize;
        step = Math.max(1.0, step);
        int ny = Math.max(1, (int) Math.round(height / step));
        int nx = Math.max(1, (int) Math.round(width / step));
        int k = nx * ny;
        double stepY = (double) height / ny;
        double stepX = (double) width / nx;
        // Centres: colour features then x, y.
        double[] cx = new double[k], cy = new double[k], cc = new double[k * cf];
        int[] gradSeed = new int[k];
        for (int i = 0; i < ny; i++) {
            for (int j = 0; j < nx; j++) {
                int c = i * nx + j;
                int x = Math.min(width - 1, (int) ((j + 0.5) * stepX));
                int y = Math.min(height - 1, (int) ((i + 0.5) * stepY));
                gradSeed[c] = lowestGradient(feat, cf, width, height, x, y);
                int p = gradSeed[c];
                cx[c] = p % width;
                cy[c] = p / width;
                System.arraycopy(toDouble(feat, p * cf, cf), 0, cc, c * cf, cf);
            }
        }
        double s = Math.max(stepX, stepY);
        int win = (int) Math.ceil(s);
        double spatialWeight = (compactness / s) * (compactness / s);
        int[] label = new int[n];
        float[] dist = new float[n];
        double[] sumX = new double[k], sumY = new double[k], sumC = new double[k * cf];
        int[] count = new int[k];
        for (int it = 0; it < iterations; it++) {
            Arrays.fill(label, -1);
            Arrays.fill(dist, Float.POSITIVE_INFINITY);
            for (int c = 0; c < k; c++) {
                int xa = Math.max(0, (int) (cx[c] - win)), xb = Math.min(width, (int) (cx[c] + win) + 1);
                int ya = Math.max(0, (int) (cy[c] - win)), yb = Math.min(height, (int) (cy[c] + win) + 1);
                for (int y = ya; y < yb; y++) {
                    double dy = y - cy[c];
                    for (int x = xa, p = y * width + xa; x < xb; x++, p++) {
                        double dx = x - cx[c];
                        double d = colourDist(feat, p * cf, cc, c * cf, cf) + (dx * dx + dy * dy) * spatialWeight;
                        if (d < dist[p]) {
                            dist[p] = (float) d;
                            label[p] = c;
                        }
                    }
                }
            }
            assignOrphans(label, feat, cf, width, cx, cy, cc, spatialWeight);
            Arrays.fill(sumX, 0);
            Arrays.fill(sumY, 0);
            Arrays.fill(sumC, 0);
            Arrays.fill(count, 0);
            for (int p = 0; p < n; p++) {
                int c = label[p];
                count[c]++;
                sumX[c] += p % width;
                sumY[c] += p / width;
                for (int f = 0; f < cf; f++) sumC[c * cf + f] += feat[p * cf + f];
            }
            for (int c = 0; c < k; c++) {
                if (count[c] == 0) continue; // an empty cluster keeps its centre
                cx[c] = sumX[c] / count[c];
                cy[c] = sumY[c] / count[c];
                for (int f = 0; f < cf; f++) cc[c * cf + f] = sumC[c * cf + f] / count[c];
            }
        }
        int minSize = (int) Math.max(1, Math.round(minSizeFactor * (double) n / k));
        int[] compact = enforceConnectivity(label, width, height, minSize);
        return new ImageRegions(imageId, kind(), width, height, compact, i -> RegionIds.slic(imageId, i));
    }

    /** Pixel-major features: Lab (+ extra channels x100) or channels x100. */
    static float[] features(float[] chw, int channels, int n) {
        float[] feat = new float[n * channels];
        for (int p = 0; p < n; p++) {
            int o = p * channels;
            if (channels >= 3) {
                float[] lab = srgbToLab(chw[p], chw[n + p], chw[2 * n + p]);
                feat[o] = lab[0];
                feat[o + 1] = lab[1];
                feat[o + 2] = lab[2];
                for (int c = 3; c < channels; c++) feat[o + c] = 100f * chw[c * n + p];
            } else {
                for (int c = 0; c < channels; c++) feat[o + c] = 100f * chw[c * n + p];
            }
        }
        return feat;
    }

    /** sRGB in [0,1] -> CIE L*a*b* (D65 white). */
    static float[] srgbToLab(float r, float g, float b) {
        double rl = linear(r), gl = linear(g), bl = linear(b);
        double x = (0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl) / 0.95047;
        double y = (0.2126729 * rl + 0.7151522 * gl + 0.0721750 * bl);
        double z = (0.0193339 * rl + 0.1191920 * gl + 0.9503041 * bl) / 1.08883;
        double fx = labF(x), fy = labF(y), fz = labF(z);
        return new float[]{(float) (116 * fy - 16), (float) (500 * (fx - fy)), (float) (200 * (fy - fz))};
    }

    private static double linear(double c) {
        c = Math.min(1, Math.max(0, c));
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double labF(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    private static double[] toDouble(float[] a, int off, int len) {
        double[] d = new double[len];
        for (int i = 0; i < len; i++) d[i] = a[off + i];
        return d;
    }

    private static double colourDist(float[] feat, int fo, double[] cc, int co, int cf) {
        double d = 0;
        for (int f = 0; f < cf; f++) {
            double t = feat[fo + f] - cc[co + f];
            d += t * t;
        }
        return d;
    }

    /** The pixel of lowest gradient magnitude in the 3x3 neighbourhood of (x, y): avoids seeding on an edge. */
    private static int lowestGradient(float[] feat, int cf, int w, int h, int x, int y) {
        int best = y * w + x;
        double bestG = Double.POSITIVE_INFINITY;
        for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
            for (int xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
                int l = yy * w + Math.max(0, xx - 1), r = yy * w + Math.min(w - 1, xx + 1);
                int u = Math.max(0, yy - 1) * w + xx, d = Math.min(h - 1, yy + 1) * w + xx;
                double g = 0;
                for (int f = 0; f < cf; f++) {
                    double gx = feat[r * cf + f] - feat[l * cf + f];
                    double gy = feat[d * cf + f] - feat[u * cf + f];
                    g += gx * gx + gy * gy;
                }
                if (g < bestG) {
                    bestG = g;
                    best = yy * w + xx;
                }
            }
        }
        return best;
    }

    /** Pixels no window reached (possible only at odd aspect ratios) go to the nearest centre overall. */
    private static void assignOrphans(int[] label, float[] feat, int cf, int w, double[] cx, double[] cy, double[] cc, double sw) {
        for (int p = 0; p < label.length; p++) {
            if (label[p] >= 0) continue;
            int x = p % w, y = p / w;
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < cx.length; c++) {
                double dx = x - cx[c], dy = y - cy[c];
                double d = colourDist(feat, p * cf, cc, c * cf, cf) + (dx * dx + dy * dy) * sw;
                if (d < best) {
                    best = d;
                    label[p] = c;
                }
            }
        }
    }

    /**
     * Relabels the 4-connected components of {@code label} in raster order of their first pixel;
     * components smaller than {@code minSize} join the segment of an already-visited neighbour of their
     * first pixel (left or above), as in the reference implementation. Result: compact indices 0..n-1,
     * every segment connected.
     */
    static int[] enforceConnectivity(int[] label, int w, int h, int minSize) {
        int n = w * h;
        int[] out = new int[n];
        Arrays.fill(out, -1);
        int[] queue = new int[n];
        int next = 0;
        for (int start = 0; start < n; start++) {
            if (out[start] >= 0) continue;
            int sx = start % w, sy = start / w;
            int adjacent = -1;
            if (sx > 0 && out[start - 1] >= 0) adjacent = out[start - 1];
            else if (sy > 0 && out[start - w] >= 0) adjacent = out[start - w];
            int old = label[start];
            int head = 0, tail = 0;
            queue[tail++] = start;
            out[start] = next;
            while (head < tail) {
                int p = queue[head++];
                int x = p % w, y = p / w;
                if (x > 0) tail = visit(p - 1, old, label, out, queue, tail, next);
                if (x < w - 1) tail = visit(p + 1, old, label, out, queue, tail, next);
                if (y > 0) tail = visit(p - w, old, label, out, queue, tail, next);
                if (y < h - 1) tail = visit(p + w, old, label, out, queue, tail, next);
            }
            if (tail < minSize && adjacent >= 0) {
                for (int i = 0; i < tail; i++) out[queue[i]] = adjacent;
            } else {
                next++;
            }
        }
        return out;
    }

    private static int visit(int q, int old, int[] label, int[] out, int[] queue, int tail, int id) {
        if (out[q] < 0 && label[q] == old) {
            out[q] = id;
            queue[tail++] = q;
        }
        return tail;
    }
}
