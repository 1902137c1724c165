package dev.semiactive.al;

/**
 * Class-balanced acquisition ({@code al.class_balance} = a): a region's score is multiplied by the weight of the
 * class the model predicts for most of it, w_c = (f_c + 1/K)^-a, where f_c is class c's share of the non-void
 * pixels labelled so far and K the number of classes. A class nobody has labelled yet weighs K^a; one that holds
 * all the labels (1 + 1/K)^-a. Why: an uncertainty ranking alone keeps labelling the classes it is unsure about
 * in the places it is unsure, whatever their share of the labels (on CamVid tsf-plar-spread labelled 10-26% Car and
 * 0-1% Sky); weighting by the labelled share steers the budget towards classes the labels under-represent, as in
 * class-balanced acquisition for segmentation (Cai et al., CVPR 2021). The weights are a pure function of the
 * labels before the round, so the scoring stays a pure function of (evidence, regions).
 */
public final class ClassBalance {
    private ClassBalance() {
    }

    /**
     * @param labelledPixels non-void labelled pixels per class, length K
     * @param exponent       a >= 0 (0: all weights 1)
     */
    public static double[] weights(long[] labelledPixels, double exponent) {
        if (exponent < 0) throw new IllegalArgumentException("class balance exponent " + exponent + " < 0");
        int k = labelledPixels.length;
        long total = 0;
        for (long n : labelledPixels) {
            if (n < 0) throw new IllegalArgumentException("negative pixel count " + n);
            total += n;
        }
        double[] w = new double[k];
        for (int c = 0; c < k; c++) {
            double share = total == 0 ? 0 : (double) labelledPixels[c] / total;
            w[c] = Math.pow(share + 1.0 / k, -exponent);
        }
        return w;
    }

    /** {@code scoring} with each region's score times the weight of its majority predicted class. */
    public static RegionScoring weighted(RegionScoring scoring, double[] classWeights) {
        return (evidence, regions) -> {
            if (evidence.numClasses() != classWeights.length)
                throw new IllegalArgumentException("class-balanced scoring of " + evidence.imageId() + ": evidence has "
                        + evidence.numClasses() + " classes, the weights " + classWeights.length);
            double[] s = scoring.score(evidence, regions);
            int[] cls = RegionReduction.majority(evidence.prediction(), classWeights.length, regions);
            double[] out = new double[s.length];
            for (int r = 0; r < s.length; r++) out[r] = s[r] * classWeights[cls[r]];
            return out;
        };
    }
}
