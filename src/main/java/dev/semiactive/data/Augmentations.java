package dev.semiactive.data;

import java.util.random.RandomGenerator;

/**
 * Training augmentations on {@link Sample}s, pure Java and driven by a caller's seeded
 * {@link RandomGenerator} ({@code java.util.Random} and {@code SplittableRandom} both are one), so a run
 * is reproducible. Works on any channel count; colour jitter touches only the first 3 channels (so a DSM
 * channel keeps its meaning) and geometric steps move image and mask together.
 *
 * <ul>
 *   <li>{@link #weak}: random scale in a range, random crop to the crop size (padding image 0 / mask
 *       IGNORE when the image is smaller), horizontal flip.</li>
 *   <li>{@link #photometric}: colour jitter (brightness, contrast, saturation in random order) with a
 *       probability, then Gaussian blur with a probability. Geometry is untouched, so a strong view made
 *       from a weak view stays pixel-aligned with it (the Teacher's targets from the weak view apply).</li>
 *   <li>{@link #strong}: weak then photometric.</li>
 *   <li>{@link #cutMix}: pastes a random box of one sample into another; the {@link Box} is returned so
 *       the same box can mix other per-pixel data (teacher targets, confidence maps).</li>
 * </ul>
 * Build with {@link #builder()}; defaults follow common semi-supervised segmentation practice
 * (UniMatch/FixMatch-style): scale 0.5-2.0, flip 0.5, jitter 0.5/0.5/0.5 with p 0.8, blur p 0.5 with
 * sigma 0.1-2.0, CutMix p 0.5 with box area 2%-40% and aspect 0.3-3.3.
 */
public final class Augmentations {
    private final double scaleMin, scaleMax;
    private final int cropWidth, cropHeight;
    private final double flipProbability;
    private final double brightness, contrast, saturation, jitterProbability;
    private final double blurProbability, blurSigmaMin, blurSigmaMax;
    private final double cutMixProbability, cutMixAreaMin, cutMixAreaMax, cutMixAspect;

    private Augmentations(Builder b) {
        scaleMin = b.scaleMin;
        scaleMax = b.scaleMax;
        cropWidth = b.cropWidth;
        cropHeight = b.cropHeight;
        flipProbability = b.flipProbability;
        brightness = b.brightness;
        contrast = b.contrast;
        saturation = b.saturation;
        jitterProbability = b.jitterProbability;
        blurProbability = b.blurProbability;
        blurSigmaMin = b.blurSigmaMin;
        blurSigmaMax = b.blurSigmaMax;
        cutMixProbability = b.cutMixProbability;
        cutMixAreaMin = b.cutMixAreaMin;
        cutMixAreaMax = b.cutMixAreaMax;
        cutMixAspect = b.cutMixAspect;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Crop size of {@link #weak}, or 0 when no crop is made. */
    public int cropWidth() {
        return cropWidth;
    }

    public int cropHeight() {
        return cropHeight;
    }

    /** Random scale, random crop (with padding), horizontal flip. */
    public Sample weak(Sample s, RandomGenerator rng) {
        Sample out = s;
        if (scaleMin != 1.0 || scaleMax != 1.0) {
            double f = scaleMin == scaleMax ? scaleMin : rng.nextDouble(scaleMin, scaleMax);
            out = scale(out, f);
        }
        if (cropWidth > 0) out = randomCrop(out, cropWidth, cropHeight, rng);
        if (rng.nextDouble() < flipProbability) out = SampleOps.flipHorizontal(out);
        return out;
    }

    /** Colour jitter and blur; geometry and mask unchanged. */
    public Sample photometric(Sample s, RandomGenerator rng) {
        float[] img = s.image();
        if (rng.nextDouble() < jitterProbability) img = colourJitter(img, s.channels(), s.height(), s.width(), rng);
        if (rng.nextDouble() < blurProbability) {
            double sigma = blurSigmaMin == blurSigmaMax ? blurSigmaMin : rng.nextDouble(blurSigmaMin, blurSigmaMax);
            img = gaussianBlur(img, s.channels(), s.height(), s.width(), sigma);
        }
        return img == s.image() ? s : new Sample(s.id(), s.channels(), s.height(), s.width(), img, s.mask());
    }

    /** {@link #weak} followed by {@link #photometric}. */
    public Sample strong(Sample s, RandomGenerator rng) {
        return photometric(weak(s, rng), rng);
    }

    /** Whether to apply CutMix this time, at the configured probability. */
    public boolean rollCutMix(RandomGenerator rng) {
        return rng.nextDouble() < cutMixProbability;
    }

    /** Pastes a random box of {@code b} into {@code a} (same shape). */
    public CutMix cutMix(Sample a, Sample b, RandomGenerator rng) {
        Box box = cutMixBox(a.height(), a.width(), rng);
        return new CutMix(mix(a, b, box), box);
    }

    /** A random box covering a fraction of the image in the configured area and aspect ranges. */
    public Box cutMixBox(int height, int width, RandomGenerator rng) {
        double area = (cutMixAreaMin == cutMixAreaMax ? cutMixAreaMin : rng.nextDouble(cutMixAreaMin, cutMixAreaMax)) * height * width;
        double logAspect = Math.log(cutMixAspect);
        double aspect = Math.exp(logAspect == 0 ? 0 : rng.nextDouble(-Math.abs(logAspect), Math.abs(logAspect)));
        int bw = (int) Math.round(Math.sqrt(area * aspect));
        int bh = (int) Math.round(Math.sqrt(area / aspect));
        bw = Math.max(1, Math.min(width, bw));
        bh = Math.max(1, Math.min(height, bh));
        int x = rng.nextInt(width - bw + 1);
        int y = rng.nextInt(height - bh + 1);
        return new Box(x, y, bw, bh);
    }

    /**
     * {@code a} outside the box, {@code b} inside. Masks: both null gives null; one null counts as all
     * IGNORE (an unlabelled half contributes no labels).
     */
    public static Sample mix(Sample a, Sample b, Box box) {
        if (a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width())
            throw new IllegalArgumentException("CutMix needs samples of one shape: " + a.channels() + "x" + a.height() + "x" + a.width()
                    + " vs " + b.channels() + "x" + b.height() + "x" + b.width());
        float[] img = box.paste(a.image(), b.image(), a.channels(), a.height(), a.width());
        int[] mask = null;
        if (a.mask() != null || b.mask() != null) {
            int[] ma = a.mask() != null ? a.mask() : ignoreMask(a.height() * a.width());
            int[] mb = b.mask() != null ? b.mask() : ignoreMask(b.height() * b.width());
            mask = box.paste(ma, mb, a.height(), a.width());
        }
        return new Sample(a.id() + "+" + b.id(), a.channels(), a.height(), a.width(), img, mask);
    }

    private static int[] ignoreMask(int n) {
        int[] m = new int[n];
        java.util.Arrays.fill(m, LabelSpace.IGNORE);
        return m;
    }

    /** Resizes by a factor (bilinear image, nearest mask), at least 1 pixel a side. */
    public static Sample scale(Sample s, double factor) {
        ImageIo.Size size = SampleOps.scaled(s.width(), s.height(), factor);
        return SampleOps.resize(s, size.height(), size.width());
    }

    /**
     * A {@code cropWidth x cropHeight} window at a random position; along a side shorter than the crop the
     * sample sits at offset 0 and the rest is padding (image 0, mask IGNORE).
     */
    public static Sample randomCrop(Sample s, int cropWidth, int cropHeight, RandomGenerator rng) {
        int x = s.width() > cropWidth ? rng.nextInt(s.width() - cropWidth + 1) : 0;
        int y = s.height() > cropHeight ? rng.nextInt(s.height() - cropHeight + 1) : 0;
        return SampleOps.cropOrPad(s, s.id(), x, y, cropWidth, cropHeight);
    }

    private float[] colourJitter(float[] src, int channels, int height, int width, RandomGenerator rng) {
        float[] img = src.clone();
        int n = height * width;
        int colour = Math.min(3, channels);
        // Random order, like torchvision's ColorJitter: 0 brightness, 1 contrast, 2 saturation.
        int[] order = {0, 1, 2};
        for (int i = 2; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int op : order) {
            if (op == 0 && brightness > 0) {
                float f = factor(brightness, rng);
                for (int i = 0; i < colour * n; i++) img[i] = clamp(img[i] * f);
            } else if (op == 1 && contrast > 0) {
                float f = factor(contrast, rng);
                double sum = 0;
                for (int i = 0; i < n; i++) sum += gray(img, i, n, colour);
                float mean = (float) (sum / n);
                for (int i = 0; i < colour * n; i++) img[i] = clamp((img[i] - mean) * f + mean);
            } else if (op == 2 && saturation > 0 && colour == 3) {
                float f = factor(saturation, rng);
                for (int i = 0; i < n; i++) {
                    float g = gray(img, i, n, 3);
                    for (int c = 0; c < 3; c++) img[c * n + i] = clamp((img[c * n + i] - g) * f + g);
                }
            }
        }
        return img;
    }

    private static float factor(double strength, RandomGenerator rng) {
        return (float) rng.nextDouble(Math.max(0, 1 - strength), 1 + strength);
    }

    private static float gray(float[] img, int i, int n, int colour) {
        return colour == 3 ? 0.299f * img[i] + 0.587f * img[n + i] + 0.114f * img[2 * n + i] : img[i];
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : Math.min(v, 1f);
    }

    /** Separable Gaussian blur of every channel, edges replicated; kernel radius ceil(3 sigma). */
    public static float[] gaussianBlur(float[] chw, int channels, int height, int width, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = (float) Math.exp(-(i * i) / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) k[i] /= (float) sum;
        int n = height * width;
        float[] tmp = new float[chw.length];
        float[] out = new float[chw.length];
        for (int c = 0; c < channels; c++) {
            int base = c * n;
            for (int y = 0; y < height; y++) {
                int row = base + y * width;
                for (int x = 0; x < width; x++) {
                    float acc = 0;
                    for (int j = -radius; j <= radius; j++) {
                        int xx = Math.min(width - 1, Math.max(0, x + j));
                        acc += k[j + radius] * chw[row + xx];
                    }
                    tmp[row + x] = acc;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float acc = 0;
                    for (int j = -radius; j <= radius; j++) {
                        int yy = Math.min(height - 1, Math.max(0, y + j));
                        acc += k[j + radius] * tmp[base + yy * width + x];
                    }
                    out[base + y * width + x] = acc;
                }
            }
        }
        return out;
    }

    /** A rectangle in pixel coordinates. */
    public record Box(int x, int y, int width, int height) {
        public Box {
            if (width < 0 || height < 0) throw new IllegalArgumentException("negative box size");
        }

        public boolean contains(int px, int py) {
            return px >= x && px < x + width && py >= y && py < y + height;
        }

        public int area() {
            return width * height;
        }

        /** A copy of {@code into} (CHW, any channel count) with the box taken from {@code from}. */
        public float[] paste(float[] into, float[] from, int channels, int imageHeight, int imageWidth) {
            if (into.length != channels * imageHeight * imageWidth || from.length != into.length)
                throw new IllegalArgumentException("arrays do not match the shape " + channels + "x" + imageHeight + "x" + imageWidth);
            float[] out = into.clone();
            int n = imageHeight * imageWidth;
            for (int c = 0; c < channels; c++)
                for (int r = y; r < y + height; r++) {
                    int off = c * n + r * imageWidth + x;
                    System.arraycopy(from, off, out, off, width);
                }
            return out;
        }

        /** A copy of mask {@code into} with the box taken from {@code from}. */
        public int[] paste(int[] into, int[] from, int imageHeight, int imageWidth) {
            if (into.length != imageHeight * imageWidth || from.length != into.length)
                throw new IllegalArgumentException("masks do not match the shape " + imageHeight + "x" + imageWidth);
            int[] out = into.clone();
            for (int r = y; r < y + height; r++) {
                int off = r * imageWidth + x;
                System.arraycopy(from, off, out, off, width);
            }
            return out;
        }
    }

    /** A CutMix result: the mixed sample and the box that came from the second sample. */
    public record CutMix(Sample mixed, Box box) {
    }

    /** DJL-style builder; every setting has a default. */
    public static final class Builder {
        private double scaleMin = 0.5, scaleMax = 2.0;
        private int cropWidth, cropHeight;
        private double flipProbability = 0.5;
        private double brightness = 0.5, contrast = 0.5, saturation = 0.5, jitterProbability = 0.8;
        private double blurProbability = 0.5, blurSigmaMin = 0.1, blurSigmaMax = 2.0;
        private double cutMixProbability = 0.5, cutMixAreaMin = 0.02, cutMixAreaMax = 0.4, cutMixAspect = 0.3;

        private Builder() {
        }

        /** Random scale factor range of {@link #weak}; (1, 1) disables scaling. */
        public Builder optScaleRange(double min, double max) {
            if (!(min > 0) || max < min) throw new IllegalArgumentException("scale range must satisfy 0 < min <= max");
            scaleMin = min;
            scaleMax = max;
            return this;
        }

        /** Crop size of {@link #weak}; unset = no crop (samples keep their size). */
        public Builder optCrop(int width, int height) {
            if (width < 1 || height < 1) throw new IllegalArgumentException("crop size must be positive");
            cropWidth = width;
            cropHeight = height;
            return this;
        }

        public Builder optFlipProbability(double p) {
            flipProbability = probability(p);
            return this;
        }

        /** Jitter strengths (factor drawn from [1-s, 1+s]; 0 disables one) and the probability of jittering. */
        public Builder optColourJitter(double brightness, double contrast, double saturation, double probability) {
            if (brightness < 0 || contrast < 0 || saturation < 0) throw new IllegalArgumentException("jitter strengths must be >= 0");
            this.brightness = brightness;
            this.contrast = contrast;
            this.saturation = saturation;
            this.jitterProbability = probability(probability);
            return this;
        }

        public Builder optBlur(double probability, double sigmaMin, double sigmaMax) {
            if (!(sigmaMin > 0) || sigmaMax < sigmaMin) throw new IllegalArgumentException("blur sigma range must satisfy 0 < min <= max");
            blurProbability = probability(probability);
            blurSigmaMin = sigmaMin;
            blurSigmaMax = sigmaMax;
            return this;
        }

        /** CutMix probability, box area range (fractions of the image) and aspect bound (box w/h in [a, 1/a]). */
        public Builder optCutMix(double probability, double areaMin, double areaMax, double aspect) {
            if (!(areaMin > 0) || areaMax < areaMin || areaMax > 1) throw new IllegalArgumentException("CutMix area range must satisfy 0 < min <= max <= 1");
            if (!(aspect > 0) || aspect > 1) throw new IllegalArgumentException("CutMix aspect bound must be in (0, 1]");
            cutMixProbability = probability(probability);
            cutMixAreaMin = areaMin;
            cutMixAreaMax = areaMax;
            cutMixAspect = aspect;
            return this;
        }

        private static double probability(double p) {
            if (p < 0 || p > 1) throw new IllegalArgumentException("probability must be in [0, 1]: " + p);
            return p;
        }

        public Augmentations build() {
            return new Augmentations(this);
        }
    }
}
