package dev.semiactive.plar;

import java.util.Random;

/**
 * Test fixture: images whose pixels are drawn from known Gaussian class clusters, x = mu_c + A_c z with
 * z ~ N(0, I), so the true class of every pixel is known.
 */
final class GaussianClusters {
    final int dim;
    final double[][] means;
    final double[][] mixing; // per class, dim x dim row-major A_c
    private final boolean[] diagonal;

    private GaussianClusters(double[][] means, double[][] mixing) {
        this.dim = means[0].length;
        this.means = means;
        this.mixing = mixing;
        this.diagonal = new boolean[means.length];
        for (int c = 0; c < means.length; c++) {
            boolean diag = true;
            for (int i = 0; i < dim && diag; i++)
                for (int j = 0; j < dim; j++) if (i != j && mixing[c][i * dim + j] != 0) { diag = false; break; }
            diagonal[c] = diag;
        }
    }

    int numClasses() {
        return means.length;
    }

    /** K isotropic clusters with standard deviation sigma, means = separation * e_c (class c along axis c). */
    static GaussianClusters separated(int k, int dim, double separation, double sigma) {
        double[][] means = new double[k][dim];
        double[][] mixing = new double[k][];
        for (int c = 0; c < k; c++) {
            means[c][c % dim] = separation * (1 + c / dim);
            mixing[c] = scaledIdentity(dim, sigma);
        }
        return new GaussianClusters(means, mixing);
    }

    /**
     * K clusters with (almost) the same mean but very different, randomly rotated anisotropic shapes: the
     * classes overlap completely, and Euclidean and Mahalanobis distances rank them differently.
     */
    static GaussianClusters overlapping(int k, int dim, long seed) {
        Random r = new Random(seed);
        double[][] means = new double[k][dim];
        double[][] mixing = new double[k][];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < dim; j++) means[c][j] = 0.05 * r.nextGaussian();
            double[] a = new double[dim * dim];
            for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian() * (r.nextDouble() < 0.5 ? 3.0 : 0.3);
            mixing[c] = a;
        }
        return new GaussianClusters(means, mixing);
    }

    /** Clusters given explicitly: isotropic with per-class standard deviations. */
    static GaussianClusters isotropic(double[][] means, double[] sigmas) {
        double[][] mixing = new double[means.length][];
        for (int c = 0; c < means.length; c++) mixing[c] = scaledIdentity(means[c].length, sigmas[c]);
        return new GaussianClusters(means, mixing);
    }

    private static double[] scaledIdentity(int dim, double s) {
        double[] a = new double[dim * dim];
        for (int i = 0; i < dim; i++) a[i * dim + i] = s;
        return a;
    }

    /** One h x w image: each pixel's class drawn uniformly from {@code classes}, its feature from the cluster. */
    Image image(int h, int w, int[] classes, Random r) {
        int hw = h * w;
        float[] data = new float[dim * hw];
        int[] truth = new int[hw];
        double[] z = new double[dim];
        for (int p = 0; p < hw; p++) {
            int c = classes[r.nextInt(classes.length)];
            truth[p] = c;
            for (int j = 0; j < dim; j++) z[j] = r.nextGaussian();
            double[] a = mixing[c];
            for (int i = 0; i < dim; i++) {
                double v = means[c][i];
                if (diagonal[c]) v += a[i * dim + i] * z[i]; // isotropic fixtures: skip the d x d product
                else for (int j = 0; j < dim; j++) v += a[i * dim + j] * z[j];
                data[i * hw + p] = (float) v;
            }
        }
        return new Image(new FeatureMap(dim, h, w, data), truth);
    }

    Image image(int h, int w, Random r) {
        int[] all = new int[numClasses()];
        for (int c = 0; c < all.length; c++) all[c] = c;
        return image(h, w, all, r);
    }

    /** Accumulator fed with {@code images} fully labelled images. */
    ClassStatisticsAccumulator accumulate(int images, int h, int w, long seed) {
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(numClasses()).optSeed(seed).build();
        Random r = new Random(seed);
        for (int i = 0; i < images; i++) {
            Image im = image(h, w, r);
            acc.add(im.features(), im.truth());
        }
        return acc;
    }

    record Image(FeatureMap features, int[] truth) {
    }

    static boolean[] all(int n, boolean value) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, value);
        return b;
    }

    static int[] filled(int n, int value) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
