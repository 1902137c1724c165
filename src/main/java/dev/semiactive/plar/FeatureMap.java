package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.SampleOps;

/**
 * One image's feature map as a plain CHW float array, copied out of the network's NDArray by the caller
 * (F2: 256 channels at stride 4, F1: 256 channels at stride 16, or both concatenated after upsampling
 * F1 to F2's size). Plain Java so PLAR is exact and testable without a native engine.
 *
 * <p>The record does not copy {@code data} (feature maps are large); callers must not mutate it while a
 * {@link ClassStatisticsAccumulator} or {@link PlarRefiner} is reading it.
 *
 * @param channels feature dimension d
 * @param height   rows at feature resolution
 * @param width    columns at feature resolution
 * @param data     CHW values, length channels*height*width; value (c, y, x) at c*height*width + y*width + x
 */
public record FeatureMap(int channels, int height, int width, float[] data) {
    public FeatureMap {
        if (channels < 1 || height < 1 || width < 1)
            throw new IllegalArgumentException("feature map must be at least 1x1x1, got " + channels + "x" + height + "x" + width);
        if (data == null || data.length != (long) channels * height * width)
            throw new IllegalArgumentException("feature data length " + (data == null ? "null" : data.length)
                    + " != " + channels + "x" + height + "x" + width);
    }

    /** Number of pixels, height*width. */
    public int pixels() {
        return height * width;
    }

    /** Copies the feature vector of pixel {@code p} (row-major index) into {@code out[0..channels)} as doubles. */
    public void pixel(int p, double[] out) {
        int hw = height * width;
        for (int c = 0, i = p; c < channels; c++, i += hw) out[c] = data[i];
    }

    /**
     * Checks that a per-pixel array (labels, masks) has this map's pixel count; the message tells the
     * caller to bring full-resolution masks to feature resolution with {@link MaskResampling}.
     */
    void requirePixels(int length, String what) {
        if (length != pixels())
            throw new SemiactiveException(what + " has " + length + " values but the feature map is " + height + "x"
                    + width + " (" + pixels() + " pixels): bring it to feature resolution with MaskResampling first");
    }

    /**
     * Bilinear resize to {@code outHeight x outWidth} with half-pixel centres (PyTorch
     * {@code interpolate(mode="bilinear", align_corners=False)}), used to bring F1 (stride 16) onto F2's
     * grid (stride 4) before {@link #concat}.
     */
    public FeatureMap resizeBilinear(int outHeight, int outWidth) {
        if (outHeight < 1 || outWidth < 1)
            throw new IllegalArgumentException("target size must be positive, got " + outHeight + "x" + outWidth);
        if (outHeight == height && outWidth == width) return this;
        // the same half-pixel bilinear as image resizing (PyTorch align_corners=False)
        float[] out = SampleOps.bilinear(data, channels, height, width, outHeight, outWidth);
        return new FeatureMap(channels, outHeight, outWidth, out);
    }

    /** Stacks maps of the same spatial size along the channel axis (e.g. F2 with upsampled F1). */
    public static FeatureMap concat(FeatureMap... maps) {
        if (maps.length == 0) throw new IllegalArgumentException("concat needs at least one feature map");
        int h = maps[0].height, w = maps[0].width, channels = 0;
        for (FeatureMap m : maps) {
            if (m.height != h || m.width != w)
                throw new SemiactiveException("cannot concatenate feature maps of " + h + "x" + w + " and " + m.height
                        + "x" + m.width + ": resize them to the same grid first (FeatureMap.resizeBilinear)");
            channels += m.channels;
        }
        float[] out = new float[channels * h * w];
        int offset = 0;
        for (FeatureMap m : maps) {
            System.arraycopy(m.data, 0, out, offset, m.data.length);
            offset += m.data.length;
        }
        return new FeatureMap(channels, h, w, out);
    }
}
