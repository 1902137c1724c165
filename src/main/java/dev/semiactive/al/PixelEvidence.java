package dev.semiactive.al;

import java.util.BitSet;

/**
 * What the model says about one pool image, in plain arrays (the caller computes them with DJL and
 * copies them out): class probabilities OR precomputed per-pixel entropy / margin maps, PLAR's undecided
 * mask, and region-pooled features (for coreset). Strategies read only what they need and say so when
 * it is missing. Per-pixel maps are row-major, length width*height.
 */
public final class PixelEvidence {
    private final String imageId;
    private final int width;
    private final int height;
    private final float[] probabilities;
    private final int numClasses;
    private float[] entropy;
    private float[] margin;
    private int[] prediction;
    private final BitSet undecided;
    private final float[][] regionFeatures;

    private PixelEvidence(Builder b) {
        this.imageId = b.imageId;
        this.width = b.width;
        this.height = b.height;
        this.probabilities = b.probabilities;
        this.numClasses = b.numClasses;
        this.entropy = b.entropy;
        this.margin = b.margin;
        this.undecided = b.undecided;
        this.regionFeatures = b.regionFeatures;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Evidence with only an id and size (enough for {@code random}). */
    public static PixelEvidence empty(String imageId, int width, int height) {
        return builder().setImage(imageId, width, height).build();
    }

    public String imageId() {
        return imageId;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Per-pixel entropy (nats): the given map, or computed once from the probabilities. */
    public float[] entropy() {
        if (entropy == null) entropy = PixelScores.entropy(requireProbabilities("entropy"), numClasses, width * height);
        return entropy;
    }

    /** Per-pixel 1 - (p1 - p2): the given map, or computed once from the probabilities. */
    public float[] margin() {
        if (margin == null) margin = PixelScores.marginUncertainty(requireProbabilities("margin"), numClasses, width * height);
        return margin;
    }

    /** Per-pixel predicted class (argmax of the probabilities, lowest class on ties), computed once. */
    public int[] prediction() {
        if (prediction == null) prediction = PixelScores.argmax(requireProbabilities("prediction"), numClasses, width * height);
        return prediction;
    }

    /** Number of classes of the probabilities (0 without them). */
    public int numClasses() {
        return numClasses;
    }

    /** PLAR's undecided pixels; null if the caller gave none. */
    public BitSet undecided() {
        return undecided;
    }

    /** Region-pooled feature vectors, indexed by region index; null if the caller gave none. */
    public float[][] regionFeatures() {
        return regionFeatures;
    }

    private float[] requireProbabilities(String what) {
        if (probabilities == null)
            throw new IllegalStateException("evidence for " + imageId + " has neither a " + what + " map nor class probabilities");
        return probabilities;
    }

    public static final class Builder {
        private String imageId;
        private int width;
        private int height;
        private float[] probabilities;
        private int numClasses;
        private float[] entropy;
        private float[] margin;
        private BitSet undecided;
        private float[][] regionFeatures;

        public Builder setImage(String imageId, int width, int height) {
            if (width <= 0 || height <= 0) throw new IllegalArgumentException("image " + imageId + " size " + width + "x" + height);
            this.imageId = imageId;
            this.width = width;
            this.height = height;
            return this;
        }

        /** Softmax probabilities, CHW (K x H x W). */
        public Builder optProbabilities(float[] khw, int numClasses) {
            this.probabilities = khw;
            this.numClasses = numClasses;
            return this;
        }

        public Builder optEntropy(float[] hw) {
            this.entropy = hw;
            return this;
        }

        /** Per-pixel 1 - (p1 - p2) (higher = more uncertain). */
        public Builder optMargin(float[] hw) {
            this.margin = hw;
            return this;
        }

        public Builder optUndecided(BitSet undecided) {
            this.undecided = undecided;
            return this;
        }

        /** One vector of dimension D per region index (e.g. {@link RegionPooling#meanPool} of F1). */
        public Builder optRegionFeatures(float[][] perRegion) {
            this.regionFeatures = perRegion;
            return this;
        }

        public PixelEvidence build() {
            if (imageId == null) throw new IllegalStateException("PixelEvidence needs setImage");
            int n = width * height;
            if (probabilities != null && (numClasses < 1 || probabilities.length != numClasses * n))
                throw new IllegalArgumentException("probabilities of " + imageId + " have length " + probabilities.length
                    + ", expected " + numClasses + "x" + height + "x" + width);
            if (entropy != null && entropy.length != n)
                throw new IllegalArgumentException("entropy map of " + imageId + " has " + entropy.length + " pixels, expected " + n);
            if (margin != null && margin.length != n)
                throw new IllegalArgumentException("margin map of " + imageId + " has " + margin.length + " pixels, expected " + n);
            if (undecided != null && undecided.length() > n)
                throw new IllegalArgumentException("undecided mask of " + imageId + " reaches beyond " + n + " pixels");
            return new PixelEvidence(this);
        }
    }
}
