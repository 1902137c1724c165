package dev.semiactive.al;

/**
 * Impurity-weighted acquisition ({@code al.impurity} = b): a region's score is multiplied by I^b, where I is the
 * impurity of the classes the model predicts in it ({@link RegionReduction#impurity}: 0 for one class, 1 for all
 * classes evenly). With b = 1 it is RIPU's region score, impurity times uncertainty (Xie et al., CVPR 2022). Why: on
 * CamVid the uncertainty rankings (entropy, tsf-plar, class-balanced or not) label the same classes and the method's
 * lead over entropy stayed near 1 mIoU; a region where the model sees several classes holds a boundary, so its label
 * teaches several classes and where they meet, and a region the model thinks is all one class (most of a street scene:
 * road, sky, building) is skipped however uncertain it is. Like {@link ClassBalance} it is a pure function of the
 * evidence, and it applies to the tie-break score too.
 */
public final class RegionImpurity {
    private RegionImpurity() {
    }

    /** {@code scoring} with each region's score times its predicted-class impurity to the power {@code exponent} (> 0). */
    public static RegionScoring weighted(RegionScoring scoring, double exponent) {
        if (!(exponent > 0)) throw new IllegalArgumentException("impurity exponent " + exponent + " must be > 0");
        return (evidence, regions) -> {
            double[] s = scoring.score(evidence, regions);
            double[] impurity = RegionReduction.impurity(evidence.prediction(), evidence.numClasses(), regions);
            double[] out = new double[s.length];
            for (int r = 0; r < s.length; r++) out[r] = s[r] * Math.pow(impurity[r], exponent);
            return out;
        };
    }
}
