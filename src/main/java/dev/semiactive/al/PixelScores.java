package dev.semiactive.al;

import java.util.BitSet;

/**
 * Pure per-pixel uncertainty maps from class probabilities (CHW, K x HW). These are the "heuristics" of
 * the baal split: per-pixel scores here, then ONE reduction to regions ({@link RegionReduction}).
 */
public final class PixelScores {
    private PixelScores() {
    }

    /** Shannon entropy -sum p log p in nats (0 = certain, log K = uniform). */
    public static float[] entropy(float[] khw, int k, int hw) {
        float[] out = new float[hw];
        for (int c = 0; c < k; c++) {
            int o = c * hw;
            for (int p = 0; p < hw; p++) {
                float v = khw[o + p];
                if (v > 0) out[p] -= (float) (v * Math.log(v));
            }
        }
        return out;
    }

    /** 1 - (p1 - p2), p1 >= p2 the two largest probabilities: 0 = certain, 1 = a tie. */
    public static float[] marginUncertainty(float[] khw, int k, int hw) {
        float[] out = new float[hw];
        for (int p = 0; p < hw; p++) {
            float p1 = Float.NEGATIVE_INFINITY, p2 = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                float v = khw[c * hw + p];
                if (v > p1) {
                    p2 = p1;
                    p1 = v;
                } else if (v > p2) {
                    p2 = v;
                }
            }
            out[p] = k == 1 ? 0f : 1f - (p1 - p2);
        }
        return out;
    }

    /** The map where {@code mask} is set, 0 elsewhere (tsf-plar: entropy of undecided pixels only). */
    public static float[] masked(float[] map, BitSet mask) {
        float[] out = new float[map.length];
        for (int p = mask.nextSetBit(0); p >= 0 && p < map.length; p = mask.nextSetBit(p + 1)) out[p] = map[p];
        return out;
    }

    /** Per-pixel argmax over K x H x W probabilities; the lowest class wins a tie. */
    public static int[] argmax(float[] khw, int k, int hw) {
        int[] out = new int[hw];
        argmax(khw, k, hw, out, null);
        return out;
    }

    /**
     * Per-pixel argmax into {@code classes} (length hw), and its probability into {@code confidence} when that is
     * not null; the lowest class wins a tie.
     */
    public static void argmax(float[] khw, int k, int hw, int[] classes, float[] confidence) {
        for (int p = 0; p < hw; p++) {
            int best = 0;
            float max = khw[p];
            for (int c = 1; c < k; c++) {
                float v = khw[c * hw + p];
                if (v > max) {
                    max = v;
                    best = c;
                }
            }
            classes[p] = best;
            if (confidence != null) confidence[p] = max;
        }
    }
}
