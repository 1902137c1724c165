package dev.semiactive.data;

import java.util.Arrays;

/**
 * Geometric operations on samples that keep image and mask aligned: resize (bilinear image, nearest
 * mask), crop with padding, horizontal flip. Used by dataset tiling/resizing and by {@link Augmentations}.
 * Pixel centres are at half-integer coordinates (PyTorch {@code align_corners=False}), so image and
 * mask resampling agree about where each output pixel comes from.
 */
public final class SampleOps {
    private SampleOps() {
    }

    /** Output size for a scale factor: rounded, at least 1 pixel. */
    public static ImageIo.Size scaled(int width, int height, double scale) {
        return new ImageIo.Size(Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale)));
    }

    /** Resizes the image bilinearly and the mask (if any) by nearest neighbour. */
    public static Sample resize(Sample s, int newHeight, int newWidth) {
        if (newHeight == s.height() && newWidth == s.width()) return s;
        float[] img = bilinear(s.image(), s.channels(), s.height(), s.width(), newHeight, newWidth);
        int[] mask = s.mask() == null ? null : nearest(s.mask(), s.height(), s.width(), newHeight, newWidth);
        return new Sample(s.id(), s.channels(), newHeight, newWidth, img, mask);
    }

    /** Bilinear resize of a CHW float image (no anti-aliasing, like PyTorch's default). */
    public static float[] bilinear(float[] chw, int channels, int height, int width, int newHeight, int newWidth) {
        int[] y0 = new int[newHeight], y1 = new int[newHeight];
        float[] fy = new float[newHeight];
        axis(height, newHeight, y0, y1, fy);
        int[] x0 = new int[newWidth], x1 = new int[newWidth];
        float[] fx = new float[newWidth];
        axis(width, newWidth, x0, x1, fx);
        float[] out = new float[channels * newHeight * newWidth];
        int inPlane = height * width;
        int outPlane = newHeight * newWidth;
        for (int c = 0; c < channels; c++) {
            int ib = c * inPlane;
            int ob = c * outPlane;
            for (int y = 0; y < newHeight; y++) {
                int r0 = ib + y0[y] * width;
                int r1 = ib + y1[y] * width;
                float wy = fy[y];
                int o = ob + y * newWidth;
                for (int x = 0; x < newWidth; x++) {
                    float a = chw[r0 + x0[x]], b = chw[r0 + x1[x]];
                    float cc = chw[r1 + x0[x]], d = chw[r1 + x1[x]];
                    float top = a + (b - a) * fx[x];
                    float bottom = cc + (d - cc) * fx[x];
                    out[o + x] = top + (bottom - top) * wy;
                }
            }
        }
        return out;
    }

    private static void axis(int in, int out, int[] i0, int[] i1, float[] frac) {
        double ratio = (double) in / out;
        for (int o = 0; o < out; o++) {
            double src = (o + 0.5) * ratio - 0.5;
            if (src < 0) src = 0;
            int lo = (int) Math.floor(src);
            if (lo > in - 1) lo = in - 1;
            i0[o] = lo;
            i1[o] = Math.min(lo + 1, in - 1);
            frac[o] = (float) (src - lo);
        }
    }

    /** Nearest-neighbour resize of a row-major int mask (class ids are never blended). */
    public static int[] nearest(int[] mask, int height, int width, int newHeight, int newWidth) {
        int[] xs = new int[newWidth];
        for (int x = 0; x < newWidth; x++) xs[x] = Math.min((int) Math.floor((x + 0.5) * width / newWidth), width - 1);
        int[] out = new int[newHeight * newWidth];
        for (int y = 0; y < newHeight; y++) {
            int sy = Math.min((int) Math.floor((y + 0.5) * height / newHeight), height - 1);
            int row = sy * width;
            int o = y * newWidth;
            for (int x = 0; x < newWidth; x++) out[o + x] = mask[row + xs[x]];
        }
        return out;
    }

    /**
     * The window {@code [x, x+cropWidth) x [y, y+cropHeight)} of a sample; parts outside the sample are
     * padding: image 0 and mask {@link LabelSpace#IGNORE}, so padding never counts as a label.
     */
    public static Sample cropOrPad(Sample s, String newId, int x, int y, int cropWidth, int cropHeight) {
        int c = s.channels();
        int h = s.height();
        int w = s.width();
        float[] img = new float[c * cropHeight * cropWidth];
        int[] mask = null;
        if (s.mask() != null) {
            mask = new int[cropHeight * cropWidth];
            Arrays.fill(mask, LabelSpace.IGNORE);
        }
        int xs = Math.max(0, x), xe = Math.min(w, x + cropWidth);
        int ys = Math.max(0, y), ye = Math.min(h, y + cropHeight);
        int len = xe - xs;
        if (len > 0) {
            for (int sy = ys; sy < ye; sy++) {
                int dy = sy - y;
                for (int ch = 0; ch < c; ch++)
                    System.arraycopy(s.image(), (ch * h + sy) * w + xs, img, (ch * cropHeight + dy) * cropWidth + (xs - x), len);
                if (mask != null) System.arraycopy(s.mask(), sy * w + xs, mask, dy * cropWidth + (xs - x), len);
            }
        }
        return new Sample(newId, c, cropHeight, cropWidth, img, mask);
    }

    /** Mirror left-right. */
    public static Sample flipHorizontal(Sample s) {
        int c = s.channels(), h = s.height(), w = s.width();
        float[] img = new float[s.image().length];
        for (int row = 0; row < c * h; row++) {
            int b = row * w;
            for (int x = 0; x < w; x++) img[b + x] = s.image()[b + w - 1 - x];
        }
        int[] mask = null;
        if (s.mask() != null) {
            mask = new int[s.mask().length];
            for (int y = 0; y < h; y++) {
                int b = y * w;
                for (int x = 0; x < w; x++) mask[b + x] = s.mask()[b + w - 1 - x];
            }
        }
        return new Sample(s.id(), c, h, w, img, mask);
    }
}
