package dev.semiactive.train.semi;

import dev.semiactive.data.LabelSpace;

/**
 * The Teacher's pseudo-labels of an unlabelled batch, before CutMix: its argmax where the target is
 * reliable, the PLAR label where one exists, {@link LabelSpace#IGNORE} elsewhere.
 *
 * <p>Error mask (SPEC) = teacher confidence &lt; tau OR EMD probability &gt; 0.5; a pixel is reliable when the
 * error mask does not flag it. A refined (PLAR) label wins over both: those are exactly the flagged pixels
 * PLAR could decide.
 *
 * @param targets       N*H*W class ids, 255 = no target
 * @param pixels        pixels considered
 * @param reliable      pixels whose Teacher label is kept (not flagged by the error mask)
 * @param lowConfidence pixels with confidence below tau
 * @param emdFlagged    pixels whose EMD probability is above 0.5 (0 without an EMD)
 * @param refined       pixels that take a refined label
 */
public record PseudoLabels(int[] targets, long pixels, long reliable, long lowConfidence, long emdFlagged, long refined) {
    /** EMD probability above which a pixel is flagged as a likely error. */
    public static final float EMD_FLAG = 0.5f;

    /**
     * @param prediction teacher argmax, N*H*W
     * @param confidence teacher max softmax probability, N*H*W
     * @param emdProbability EMD error probability at the same resolution, or null without an EMD
     * @param threshold tau: confidence below it is unreliable
     * @param refined refined labels (255 = none), or null
     */
    public static PseudoLabels compose(int[] prediction, float[] confidence, float[] emdProbability, double threshold,
                                       int[] refined) {
        int n = prediction.length;
        if (confidence.length != n || (emdProbability != null && emdProbability.length != n) || (refined != null && refined.length != n))
            throw new IllegalArgumentException("prediction, confidence, EMD probability and refined labels must have one value per pixel");
        // compared in float, as the confidences are: 0.7f must count as >= tau 0.7
        float tau = (float) threshold;
        int[] targets = new int[n];
        long reliable = 0, low = 0, flagged = 0, ref = 0;
        for (int i = 0; i < n; i++) {
            boolean lowConf = confidence[i] < tau;
            boolean emdFlag = emdProbability != null && emdProbability[i] > EMD_FLAG;
            if (lowConf) low++;
            if (emdFlag) flagged++;
            boolean ok = !lowConf && !emdFlag;
            if (ok) reliable++;
            if (refined != null && refined[i] != LabelSpace.IGNORE) {
                targets[i] = refined[i];
                ref++;
            } else {
                targets[i] = ok ? prediction[i] : LabelSpace.IGNORE;
            }
        }
        return new PseudoLabels(targets, n, reliable, low, flagged, ref);
    }

    public double reliableRatio() {
        return ratio(reliable);
    }

    public double emdFlaggedRatio() {
        return ratio(emdFlagged);
    }

    public double lowConfidenceRatio() {
        return ratio(lowConfidence);
    }

    public double refinedRatio() {
        return ratio(refined);
    }

    private double ratio(long k) {
        return pixels == 0 ? 0 : (double) k / pixels;
    }
}
