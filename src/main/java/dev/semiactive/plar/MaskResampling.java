package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.LabelSpace;

/**
 * Brings full-resolution label masks and error masks onto the feature grid (stride 4 or 16) and refined
 * labels back. Output pixel (oy, ox) covers the input block rows [floor(oy*H/h), floor((oy+1)*H/h)) and
 * the matching columns, which also handles sizes that are not a multiple of the stride (DeepLab's
 * feature maps are ceil(H/stride) tall: then some blocks are one row shorter).
 */
public final class MaskResampling {
    private static final int IGNORE = LabelSpace.IGNORE;

    private MaskResampling() {
    }

    /** Nearest neighbour: each output pixel takes the label at the centre of its block. */
    public static int[] downsampleNearest(int[] labels, int height, int width, int outHeight, int outWidth) {
        checkDown(labels.length, height, width, outHeight, outWidth, "label mask");
        int[] out = new int[outHeight * outWidth];
        for (int oy = 0; oy < outHeight; oy++) {
            int iy = centre(oy, height, outHeight);
            for (int ox = 0; ox < outWidth; ox++) out[oy * outWidth + ox] = labels[iy * width + centre(ox, width, outWidth)];
        }
        return out;
    }

    /**
     * Majority vote over each block among labelled pixels (255 does not vote). The block gets the winning
     * class only if that class covers at least {@code minFraction} of the WHOLE block, otherwise 255: a
     * feature pixel that is only partly labelled, or straddles a class border, is too mixed to serve as a
     * class sample or as a human label. Ties go to the smaller class id (deterministic).
     *
     * @param minFraction in [0, 1]; 0.5 is a sensible default ("more than half of the block agrees")
     */
    public static int[] downsampleMajority(int[] labels, int height, int width, int outHeight, int outWidth,
                                           double minFraction) {
        checkDown(labels.length, height, width, outHeight, outWidth, "label mask");
        if (!(minFraction >= 0 && minFraction <= 1))
            throw new IllegalArgumentException("minFraction must be in [0, 1], got " + minFraction);
        int[] out = new int[outHeight * outWidth];
        int[] votes = new int[IGNORE];
        int[] touched = new int[IGNORE];
        for (int oy = 0; oy < outHeight; oy++) {
            int ya = start(oy, height, outHeight), yb = start(oy + 1, height, outHeight);
            for (int ox = 0; ox < outWidth; ox++) {
                int xa = start(ox, width, outWidth), xb = start(ox + 1, width, outWidth);
                int nTouched = 0, best = IGNORE, bestVotes = 0;
                for (int y = ya; y < yb; y++) {
                    for (int x = xa; x < xb; x++) {
                        int l = labels[y * width + x];
                        if (l == IGNORE) continue;
                        if (l < 0 || l > IGNORE)
                            throw new SemiactiveException("label mask holds value " + l + " at (" + x + "," + y
                                    + "): labels must be class ids 0..254 or 255 for unlabelled");
                        if (votes[l]++ == 0) touched[nTouched++] = l;
                    }
                }
                for (int i = 0; i < nTouched; i++) {
                    int l = touched[i];
                    if (votes[l] > bestVotes || (votes[l] == bestVotes && l < best)) {
                        best = l;
                        bestVotes = votes[l];
                    }
                    votes[l] = 0;
                }
                int block = (yb - ya) * (xb - xa);
                out[oy * outWidth + ox] = bestVotes > 0 && bestVotes >= minFraction * block ? best : IGNORE;
            }
        }
        return out;
    }

    /** Nearest neighbour for a boolean mask (e.g. the error mask): the centre pixel of each block. */
    public static boolean[] downsampleNearest(boolean[] mask, int height, int width, int outHeight, int outWidth) {
        checkDown(mask.length, height, width, outHeight, outWidth, "error mask");
        boolean[] out = new boolean[outHeight * outWidth];
        for (int oy = 0; oy < outHeight; oy++) {
            int iy = centre(oy, height, outHeight);
            for (int ox = 0; ox < outWidth; ox++) out[oy * outWidth + ox] = mask[iy * width + centre(ox, width, outWidth)];
        }
        return out;
    }

    /**
     * A block is flagged when at least {@code minFraction} of its pixels are (at least one pixel when
     * minFraction is 0). 0.5 = majority; a small value flags a feature pixel as soon as part of it is
     * suspect, which sends more pixels to PLAR.
     */
    public static boolean[] downsampleFraction(boolean[] mask, int height, int width, int outHeight, int outWidth,
                                               double minFraction) {
        checkDown(mask.length, height, width, outHeight, outWidth, "error mask");
        if (!(minFraction >= 0 && minFraction <= 1))
            throw new IllegalArgumentException("minFraction must be in [0, 1], got " + minFraction);
        boolean[] out = new boolean[outHeight * outWidth];
        for (int oy = 0; oy < outHeight; oy++) {
            int ya = start(oy, height, outHeight), yb = start(oy + 1, height, outHeight);
            for (int ox = 0; ox < outWidth; ox++) {
                int xa = start(ox, width, outWidth), xb = start(ox + 1, width, outWidth);
                int set = 0;
                for (int y = ya; y < yb; y++)
                    for (int x = xa; x < xb; x++) if (mask[y * width + x]) set++;
                int block = (yb - ya) * (xb - xa);
                out[oy * outWidth + ox] = set > 0 && set >= minFraction * block;
            }
        }
        return out;
    }

    /**
     * Nearest-neighbour upsampling of feature-resolution labels (e.g. {@link RefinementResult#labels()})
     * back to image resolution: every image pixel takes the label of the feature block that covers it.
     */
    public static int[] upsampleNearest(int[] labels, int height, int width, int outHeight, int outWidth) {
        if (labels.length != height * width)
            throw new IllegalArgumentException("labels length " + labels.length + " != " + height + "x" + width);
        if (outHeight < height || outWidth < width)
            throw new IllegalArgumentException("cannot upsample " + height + "x" + width + " to " + outHeight + "x" + outWidth);
        int[] rowOf = blockOf(height, outHeight), colOf = blockOf(width, outWidth);
        int[] out = new int[outHeight * outWidth];
        for (int y = 0; y < outHeight; y++)
            for (int x = 0; x < outWidth; x++) out[y * outWidth + x] = labels[rowOf[y] * width + colOf[x]];
        return out;
    }

    /** For each of n image positions, the index of the block among m that covers it (inverse of start()). */
    private static int[] blockOf(int m, int n) {
        int[] of = new int[n];
        for (int b = 0; b < m; b++)
            for (int i = start(b, n, m); i < start(b + 1, n, m); i++) of[i] = b;
        return of;
    }

    /** First input index of output cell o when n inputs map onto m outputs. */
    private static int start(int o, int n, int m) {
        return (int) ((long) o * n / m);
    }

    private static int centre(int o, int n, int m) {
        return Math.min(n - 1, (int) (((2L * o + 1) * n) / (2L * m)));
    }

    private static void checkDown(int length, int height, int width, int outHeight, int outWidth, String what) {
        if (length != height * width)
            throw new IllegalArgumentException(what + " length " + length + " != " + height + "x" + width);
        if (outHeight < 1 || outWidth < 1 || outHeight > height || outWidth > width)
            throw new IllegalArgumentException("cannot downsample a " + height + "x" + width + " " + what + " to "
                    + outHeight + "x" + outWidth);
    }
}
