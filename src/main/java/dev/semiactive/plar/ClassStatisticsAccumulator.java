package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.LabelSpace;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Streams labelled pixels image by image and keeps a bounded, uniform sample of each class's feature
 * vectors, from which {@link #build()} computes {@link ClassStatistics}. Memory is at most
 * numClasses x maxSamplesPerClass x d floats however many images are fed (11 x 2000 x 256 = 22 MB).
 *
 * <p>Sampling is reservoir sampling (Vitter's Algorithm R) per class, so after any number of images
 * every labelled pixel seen so far had the same chance to be kept. Each class has its own random stream
 * seeded from (seed, class id): the sample of one class does not depend on how many pixels other classes
 * had, and the whole result is reproducible for a given seed and image order. While a class has seen at
 * most maxSamplesPerClass pixels it keeps all of them (then the statistics are exact and independent of
 * image order).
 *
 * <p>Not thread-safe: feed it from one thread (the pool-scoring loop).
 */
public final class ClassStatisticsAccumulator {
    public static final int DEFAULT_MAX_SAMPLES_PER_CLASS = 2000;
    private static final int IGNORE = LabelSpace.IGNORE;
    private static final int INITIAL_ROWS = 64;

    private final int numClasses;
    private final int maxSamples;
    private final long seed;
    private final float[][] samples;
    private final int[] stored;
    private final long[] seen;
    private final SplittableRandom[] random;
    private int dim = -1;
    private long images;

    private ClassStatisticsAccumulator(Builder b) {
        this.numClasses = b.numClasses;
        this.maxSamples = b.maxSamples;
        this.seed = b.seed;
        this.samples = new float[numClasses][];
        this.stored = new int[numClasses];
        this.seen = new long[numClasses];
        this.random = new SplittableRandom[numClasses];
        for (int c = 0; c < numClasses; c++)
            random[c] = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (c + 1)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds one image's labelled pixels.
     *
     * @param features CHW features at feature resolution
     * @param labels   class id per feature pixel (row-major, length H*W), {@link LabelSpace#IGNORE} = none;
     *                 bring full-resolution masks down with {@link MaskResampling} first
     * @throws SemiactiveException on a size or dimension mismatch, or a label outside 0..K-1 / 255
     * @throws IllegalArgumentException if a labelled pixel's feature is NaN or infinite (a model bug)
     */
    public void add(FeatureMap features, int[] labels) {
        features.requirePixels(labels.length, "label mask");
        int d = features.channels();
        if (dim >= 0 && d != dim) {
            throw new SemiactiveException("PLAR features have " + features.channels() + " channels but earlier images had "
                    + dim + ": use the same feature tap (plar features: F1, F2 or both) for every image");
        }
        int hw = features.pixels();
        float[] data = features.data();
        // Validate everything first, so a bad image leaves the reservoirs exactly as they were.
        for (int p = 0; p < hw; p++) {
            int c = labels[p];
            if (c == IGNORE) continue;
            if (c < 0 || c >= numClasses)
                throw new SemiactiveException("label " + c + " at feature pixel " + p + " is outside the " + numClasses
                        + " classes: labels must be 0.." + (numClasses - 1) + " or 255 for unlabelled");
            for (int j = 0, i = p; j < d; j++, i += hw)
                if (!Float.isFinite(data[i]))
                    throw new IllegalArgumentException("feature " + j + " of labelled pixel " + p + " is " + data[i]
                            + ": features must be finite");
        }
        dim = d;
        for (int p = 0; p < hw; p++) {
            int c = labels[p];
            if (c == IGNORE) continue;
            int slot = reserve(c);
            if (slot < 0) continue;
            float[] rows = samples[c];
            for (int j = 0, i = p, o = slot * dim; j < dim; j++, i += hw) rows[o + j] = data[i];
        }
        images++;
    }

    /** Algorithm R: the slot the next pixel of class c goes to, or -1 if the reservoir keeps the old sample. */
    private int reserve(int c) {
        long i = seen[c]++;
        if (i < maxSamples) {
            ensureCapacity(c, (int) i + 1);
            stored[c]++;
            return (int) i;
        }
        long j = random[c].nextLong(i + 1);
        return j < maxSamples ? (int) j : -1;
    }

    private void ensureCapacity(int c, int rows) {
        float[] cur = samples[c];
        int have = cur == null ? 0 : cur.length / dim;
        if (have >= rows) return;
        int grow = Math.min(maxSamples, Math.max(rows, Math.max(INITIAL_ROWS, have * 2)));
        samples[c] = cur == null ? new float[grow * dim] : Arrays.copyOf(cur, grow * dim);
    }

    /** Statistics with {@link StatisticsOptions#defaults()}. */
    public ClassStatistics build() {
        return build(StatisticsOptions.defaults());
    }

    /**
     * Computes the statistics from the current samples; the accumulator stays usable (more images can be
     * added and build called again).
     *
     * @throws SemiactiveException if no image was added (the feature dimension is unknown)
     */
    public ClassStatistics build(StatisticsOptions options) {
        if (dim < 0)
            throw new SemiactiveException("PLAR class statistics need labelled pixels, but no image was added: label some regions first");
        float[][] copy = new float[numClasses][];
        for (int c = 0; c < numClasses; c++) copy[c] = samples[c] == null ? new float[0] : samples[c];
        return ClassStatistics.fromSamples(copy, stored, seen, dim, options);
    }

    public int numClasses() {
        return numClasses;
    }

    public int maxSamplesPerClass() {
        return maxSamples;
    }

    public long seed() {
        return seed;
    }

    /** Feature dimension, or -1 before the first image. */
    public int dimension() {
        return dim;
    }

    public long images() {
        return images;
    }

    /** Sampled pixels currently held for class c (<= maxSamplesPerClass). */
    public int storedSamples(int c) {
        return stored[c];
    }

    /** Labelled pixels of class c fed so far. */
    public long seenPixels(int c) {
        return seen[c];
    }

    /** Sampled pixels held over all classes: the accumulator's memory is this times d floats. */
    public long totalStoredSamples() {
        long t = 0;
        for (int s : stored) t += s;
        return t;
    }

    /** Floats allocated for samples (capacity, not just use): bounded by numClasses*maxSamples*d. */
    public long allocatedFloats() {
        long t = 0;
        for (float[] s : samples) if (s != null) t += s.length;
        return t;
    }

    /** Copy of the held samples of class c, row-major storedSamples(c) x d. */
    public float[] samples(int c) {
        if (samples[c] == null) return new float[0];
        return Arrays.copyOf(samples[c], stored[c] * dim);
    }

    public static final class Builder {
        private int numClasses = -1;
        private int maxSamples = DEFAULT_MAX_SAMPLES_PER_CLASS;
        private long seed = 0L;

        private Builder() {
        }

        /** Number of classes K (labels 0..K-1; 255 is ignore). Required. */
        public Builder setNumClasses(int numClasses) {
            if (numClasses < 1 || numClasses >= IGNORE)
                throw new IllegalArgumentException("numClasses must be in 1..254, got " + numClasses);
            this.numClasses = numClasses;
            return this;
        }

        /** Reservoir size N per class (default 2000). */
        public Builder optMaxSamplesPerClass(int n) {
            if (n < 1) throw new IllegalArgumentException("maxSamplesPerClass must be >= 1, got " + n);
            this.maxSamples = n;
            return this;
        }

        /** Seed of the reservoir sampling (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public ClassStatisticsAccumulator build() {
            if (numClasses < 0) throw new IllegalStateException("setNumClasses is required");
            return new ClassStatisticsAccumulator(this);
        }
    }
}
