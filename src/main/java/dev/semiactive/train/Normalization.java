package dev.semiactive.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * Per-channel input normalisation, (x - mean) / std on [0,1] images. Travels in model.json so prediction
 * normalises exactly as training did.
 *
 * @param mean one value per channel
 * @param std  one positive value per channel
 */
public record Normalization(@JsonProperty("mean") float[] mean, @JsonProperty("std") float[] std) {
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    @JsonCreator
    public Normalization {
        if (mean.length != std.length || mean.length == 0)
            throw new IllegalArgumentException("normalisation mean and std need one value per channel");
        for (float s : std) if (!(s > 0)) throw new IllegalArgumentException("normalisation std must be > 0");
        mean = mean.clone();
        std = std.clone();
    }

    /** ImageNet mean/std for the first 3 channels (the backbones' pretraining), 0.5/0.5 for extra ones (DSM). */
    public static Normalization defaults(int channels) {
        float[] m = new float[channels];
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = c < 3 ? IMAGENET_MEAN[c] : 0.5f;
            s[c] = c < 3 ? IMAGENET_STD[c] : 0.5f;
        }
        return new Normalization(m, s);
    }

    /** Mean 0, std 1 on every channel: images pass unchanged (the unlabelled loader's raw views, the speed benchmark). */
    public static Normalization identity(int channels) {
        float[] ones = new float[channels];
        java.util.Arrays.fill(ones, 1f);
        return new Normalization(new float[channels], ones);
    }

    public int channels() {
        return mean.length;
    }

    /** Normalises CHW {@code image} into {@code out} at {@code offset}. */
    public void apply(float[] image, int channels, int plane, float[] out, int offset) {
        if (channels != mean.length)
            throw new IllegalArgumentException("image has " + channels + " channels, normalisation " + mean.length);
        for (int c = 0; c < channels; c++) {
            float m = mean[c];
            float inv = 1f / std[c];
            int base = c * plane;
            for (int i = 0; i < plane; i++) out[offset + base + i] = (image[base + i] - m) * inv;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
