package dev.semiactive.pretext;

import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A quantisation of colour into {@code k} bins of chroma (the Cb, Cr plane of YCbCr, BT.601), fitted by
 * k-means on pixels sampled from a pool: the classes of the colourization pretext. Fitting on the pool's own
 * colours (not a fixed grid) spends the bins where the pixels are, so a street scene's many greys get several
 * bins and its rare saturated colours one each.
 *
 * @param centroids {@code [k][2]}: the (Cb, Cr) of each bin, each in [-0.5, 0.5]
 */
public record ChromaBins(double[][] centroids) {
    /** Lloyd iterations; the assignment has settled long before on a few hundred thousand 2-D points. */
    static final int ITERATIONS = 25;

    public ChromaBins {
        if (centroids.length < 2) throw new IllegalArgumentException("colourization needs at least 2 bins, got " + centroids.length);
        centroids = Arrays.stream(centroids).map(double[]::clone).toArray(double[][]::new);
        for (double[] c : centroids)
            if (c.length != 2) throw new IllegalArgumentException("a chroma centroid is (Cb, Cr)");
    }

    public int size() {
        return centroids.length;
    }

    public static double cb(double r, double g, double b) {
        return -0.168736 * r - 0.331264 * g + 0.5 * b;
    }

    public static double cr(double r, double g, double b) {
        return 0.5 * r - 0.418688 * g - 0.081312 * b;
    }

    public static double luma(double r, double g, double b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }

    /** The bin of a colour with channels in [0, 1]: the nearest centroid in (Cb, Cr). */
    public int bin(double r, double g, double b) {
        return nearest(centroids, cb(r, g, b), cr(r, g, b));
    }

    /** The bin's colour at mid luminance, 0xRRGGBB: a palette that shows what each pretext class means. */
    public int displayColour(int bin) {
        double y = 0.5, cb = centroids[bin][0], cr = centroids[bin][1];
        int r = channel(y + 1.402 * cr), g = channel(y - 0.344136 * cb - 0.714136 * cr), b = channel(y + 1.772 * cb);
        return (r << 16) | (g << 8) | b;
    }

    private static int channel(double v) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
    }

    /**
     * Fits {@code k} bins to {@code samplesPerImage} pixels drawn from each image of {@code images} (seeded):
     * k-means++ seeding, then Lloyd iterations. An empty cluster keeps its centroid.
     */
    public static ChromaBins fit(SegmentationDataset images, int k, int samplesPerImage, long seed) {
        if (images.channels() < 3)
            throw new IllegalArgumentException(images.describe() + " has " + images.channels() + "-channel images: colour bins need 3");
        Random rnd = new Random(seed);
        List<String> ids = images.ids();
        double[][] points = new double[ids.size() * samplesPerImage][];
        int n = 0;
        for (String id : ids) {
            Sample s = images.load(id);
            int plane = s.height() * s.width();
            float[] im = s.image();
            for (int i = 0; i < samplesPerImage; i++) {
                int p = rnd.nextInt(plane);
                points[n++] = new double[]{cb(im[p], im[plane + p], im[2 * plane + p]), cr(im[p], im[plane + p], im[2 * plane + p])};
            }
        }
        return fit(points, k, rnd);
    }

    /** k-means on (Cb, Cr) points. */
    static ChromaBins fit(double[][] points, int k, Random rnd) {
        if (k < 2) throw new IllegalArgumentException("colourization needs at least 2 bins, got " + k);
        if (points.length < k) throw new IllegalArgumentException(points.length + " sampled pixels cannot make " + k + " bins");
        double[][] c = new double[k][];
        // k-means++: each next centroid drawn with probability proportional to the squared distance to the nearest chosen
        c[0] = points[rnd.nextInt(points.length)].clone();
        double[] d2 = new double[points.length];
        Arrays.fill(d2, Double.MAX_VALUE);
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (int i = 0; i < points.length; i++) {
                double dx = points[i][0] - c[j - 1][0], dy = points[i][1] - c[j - 1][1];
                d2[i] = Math.min(d2[i], dx * dx + dy * dy);
                total += d2[i];
            }
            int pick = rnd.nextInt(points.length);
            if (total > 0) {
                double u = rnd.nextDouble() * total;
                for (int i = 0; i < points.length; i++) {
                    u -= d2[i];
                    if (u <= 0) {
                        pick = i;
                        break;
                    }
                }
            }
            c[j] = points[pick].clone();
        }
        for (int it = 0; it < ITERATIONS; it++) {
            double[][] sum = new double[k][2];
            int[] count = new int[k];
            for (int i = 0; i < points.length; i++) {
                int a = nearest(c, points[i][0], points[i][1]);
                sum[a][0] += points[i][0];
                sum[a][1] += points[i][1];
                count[a]++;
            }
            for (int j = 0; j < k; j++)
                if (count[j] > 0) c[j] = new double[]{sum[j][0] / count[j], sum[j][1] / count[j]};
        }
        return new ChromaBins(c);
    }

    static int nearest(double[][] centroids, double cb, double cr) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int j = 0; j < centroids.length; j++) {
            double dx = cb - centroids[j][0], dy = cr - centroids[j][1], d = dx * dx + dy * dy;
            if (d < bestD) {
                bestD = d;
                best = j;
            }
        }
        return best;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChromaBins other && Arrays.deepEquals(centroids, other.centroids);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(centroids);
    }

    @Override
    public String toString() {
        return "ChromaBins" + Arrays.deepToString(centroids);
    }
}
