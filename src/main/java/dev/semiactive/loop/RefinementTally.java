package dev.semiactive.loop;

import dev.semiactive.data.LabelSpace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts of the error mask, PLAR and the EMD over a pass, at image resolution, over the pixels that had
 * no label (the ones the loop may refine). With ground truth it also measures PLAR's accuracy (and the
 * teacher's on the same pixels: does PLAR correct it?) and the EMD's precision / recall / F1 against the
 * model's real mistakes (SPEC "Metrics").
 */
public final class RefinementTally {
    private long images;
    private long unlabelled;
    private long flagged;
    private long emdFlagged;
    private boolean emd;
    private long refined;
    private long undecided;
    private long evaluated;
    private long correct;
    private long teacherCorrect;
    private long emdTruePositive;
    private long emdFalsePositive;
    private long emdFalseNegative;
    private boolean groundTruth;

    /**
     * @param existing labels the image had (255 = none), or null
     * @param truth    ground truth (255 = unknown), or null
     */
    public void add(Refinement.ImageRefinement r, int[] existing, int[] truth) {
        images++;
        if (r.emdFlagged() != null) emd = true;
        if (truth != null) groundTruth = true;
        for (int p = 0; p < r.prediction().length; p++) {
            if (existing != null && existing[p] != LabelSpace.IGNORE) continue;
            unlabelled++;
            boolean emdFlag = r.emdFlagged() != null && r.emdFlagged()[p];
            if (r.flagged()[p]) flagged++;
            if (emdFlag) emdFlagged++;
            boolean isRefined = r.refined()[p] != LabelSpace.IGNORE;
            if (isRefined) refined++;
            else if (r.undecided().get(p)) undecided++;
            if (truth == null || truth[p] == LabelSpace.IGNORE) continue;
            if (isRefined) {
                evaluated++;
                if (r.refined()[p] == truth[p]) correct++;
                if (r.prediction()[p] == truth[p]) teacherCorrect++;
            }
            if (r.emdFlagged() != null) {
                boolean wrong = r.prediction()[p] != truth[p];
                if (emdFlag && wrong) emdTruePositive++;
                else if (emdFlag) emdFalsePositive++;
                else if (wrong) emdFalseNegative++;
            }
        }
    }

    public long refined() {
        return refined;
    }

    public long undecided() {
        return undecided;
    }

    public long flagged() {
        return flagged;
    }

    /** Refined correct / refined with ground truth; NaN without ground truth or refined pixels. */
    public double accuracy() {
        return ratio(correct, evaluated);
    }

    /**
     * The tallies as metrics ({@code error_flagged_fraction}, {@code plar_refined_fraction} and
     * {@code plar_undecided_fraction} of the flagged pixels, {@code plar_accuracy}, {@code emd_*}); an
     * undefined ratio is null.
     */
    public Map<String, Object> toMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scored_images", images);
        m.put("error_flagged_fraction", json(ratio(flagged, unlabelled)));
        m.put("plar_refined_fraction", json(ratio(refined, flagged)));
        m.put("plar_undecided_fraction", json(ratio(undecided, flagged)));
        if (groundTruth) {
            m.put("plar_evaluated_pixels", evaluated);
            m.put("plar_accuracy", json(accuracy()));
            m.put("plar_teacher_accuracy", json(ratio(teacherCorrect, evaluated)));
        }
        if (emd) {
            m.put("emd_flagged_fraction", json(ratio(emdFlagged, unlabelled)));
            if (groundTruth) {
                double precision = ratio(emdTruePositive, emdTruePositive + emdFalsePositive);
                double recall = ratio(emdTruePositive, emdTruePositive + emdFalseNegative);
                m.put("emd_precision", json(precision));
                m.put("emd_recall", json(recall));
                m.put("emd_f1", json(2 * precision * recall / (precision + recall)));
            }
        }
        return m;
    }

    static Double json(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
