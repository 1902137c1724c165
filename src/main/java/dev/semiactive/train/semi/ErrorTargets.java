package dev.semiactive.train.semi;

import dev.semiactive.data.LabelSpace;

/**
 * What the error mask decoder learns on a labelled batch: target 1 where the Teacher's prediction differs
 * from the ground truth, 0 where it agrees, and only on labelled pixels (255 in the mask = not counted).
 *
 * @param target    N*H*W, 1 = the Teacher is wrong here
 * @param keep      N*H*W, 1 = labelled pixel (counts in the loss)
 * @param positives labelled pixels where the Teacher is wrong
 * @param negatives labelled pixels where it is right
 */
public record ErrorTargets(float[] target, float[] keep, long positives, long negatives) {
    /** Default upper bound of the automatic positive weight (errors can be very rare once the Teacher is good). */
    public static final double DEFAULT_MAX_POS_WEIGHT = 100;

    public static ErrorTargets of(int[] teacherPrediction, int[] labels) {
        if (teacherPrediction.length != labels.length)
            throw new IllegalArgumentException("teacher prediction has " + teacherPrediction.length + " pixels, labels "
                    + labels.length);
        float[] target = new float[labels.length];
        float[] keep = new float[labels.length];
        long pos = 0, neg = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == LabelSpace.IGNORE) continue;
            keep[i] = 1f;
            if (teacherPrediction[i] != labels[i]) {
                target[i] = 1f;
                pos++;
            } else {
                neg++;
            }
        }
        return new ErrorTargets(target, keep, pos, neg);
    }

    /**
     * The BCE positive weight: {@code fixed} when given (config {@code tsf.emd_pos_weight}), else
     * #negatives / #positives clipped to [1, max] (errors are up-weighted, never down-weighted), 1 when the
     * batch has no error or no labelled pixel.
     */
    public float posWeight(Double fixed, double max) {
        if (fixed != null) return fixed.floatValue();
        if (positives == 0 || negatives == 0) return 1f;
        return (float) Math.max(1.0, Math.min(max, (double) negatives / positives));
    }

    /**
     * Precision/recall counts of an error mask ({@code probability > 0.5}) against these targets, on
     * labelled pixels: {tp, fp, fn}.
     */
    public long[] confusion(float[] probability) {
        if (probability.length != target.length)
            throw new IllegalArgumentException("probability has " + probability.length + " pixels, targets " + target.length);
        long tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < target.length; i++) {
            if (keep[i] == 0f) continue;
            boolean flagged = probability[i] > PseudoLabels.EMD_FLAG;
            boolean error = target[i] == 1f;
            if (flagged && error) tp++;
            else if (flagged) fp++;
            else if (error) fn++;
        }
        return new long[] {tp, fp, fn};
    }
}
