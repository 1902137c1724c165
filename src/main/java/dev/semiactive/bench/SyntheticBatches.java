package dev.semiactive.bench;

import dev.semiactive.data.LabelSpace;

/**
 * Deterministic synthetic images and partial masks, defined by formulas that {@code bench/torch_peer.py}
 * computes identically (float64, then float32), so both sides see the same pixels. Image {@code i} of a
 * pool is always the same image, whatever batch it falls in.
 */
public final class SyntheticBatches {
    private SyntheticBatches() {
    }

    /** x[i,c,y,x] = 0.5 sin(0.11 x + 0.07 y + 1.3 c + 0.9 (first + i)), NCHW, for i in [0, n). */
    public static float[] images(long first, int n, int channels, int h, int w) {
        float[] out = new float[n * channels * h * w];
        int o = 0;
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        out[o++] = (float) (0.5 * Math.sin(0.11 * x + 0.07 * y + 1.3 * c + 0.9 * (first + i)));
        return out;
    }

    /** 8x8 blocks of class (x/8 + y/8 + i) mod K; 255 (ignore) where (x + 2y + i) mod 11 == 0. */
    public static int[] masks(long first, int n, int h, int w, int classes) {
        int[] out = new int[n * h * w];
        int o = 0;
        for (int i = 0; i < n; i++) {
            long g = first + i;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    out[o++] = (x + 2L * y + g) % 11 == 0 ? LabelSpace.IGNORE : (int) ((x / 8 + y / 8 + g) % classes);
        }
        return out;
    }
}
