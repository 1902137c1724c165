package dev.semiactive.loop;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semiactive.data.LabelSpace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of the error mask, PLAR and the EMD over a pass, at image resolution, over the pixels that had
 * no label (the ones the loop may refine). With ground truth it also measures PLAR's accuracy (and the
 * teacher's on the same pixels: does PLAR correct it?) and the EMD's precision / recall / F1 against the
 * model's real mistakes (SPEC "Metrics").
 * <p>
 * With ground truth it also follows the Teacher's wrong pixels into the pseudo-label a semi-supervised
 * step would train on (unflagged pixels: the prediction; refined: PLAR's class; other flagged: ignored):
 * how many the error mask removes, how many PLAR puts back right or wrong, and per true class how much of
 * what was flagged PLAR refined and how accurately.
 */
public final class RefinementTally {
    /** Reads and writes every counter (the fields themselves), for a pass resumed after a kill ({@link #state}). */
    private static final ObjectMapper STATE = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, Visibility.ANY);

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
    private long truthPixels;
    private long teacherWrong;
    private long teacherWrongFlagged;
    private long targetPixels;
    private long targetWrong;
    private long maskOnlyPixels;
    private long maskOnlyWrong;
    private long plarCorrected;
    private long plarBroken;
    // per true class: flagged, refined, refined correctly (grown on demand: the tally does not know K)
    private long[] flaggedByClass = new long[0];
    private long[] refinedByClass = new long[0];
    private long[] correctByClass = new long[0];
    private long[] teacherCorrectByClass = new long[0];
    // refined pixels: true class x PLAR's class (row-major, side = confusionSide)
    private long[] confusion = new long[0];
    private int confusionSide;

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
            int t = truth[p];
            boolean predictionRight = r.prediction()[p] == t;
            truthPixels++;
            if (!predictionRight) teacherWrong++;
            if (r.flagged()[p]) {
                ensureClass(t);
                flaggedByClass[t]++;
                if (!predictionRight) teacherWrongFlagged++;
            } else {
                maskOnlyPixels++;
                targetPixels++;
                if (!predictionRight) {
                    maskOnlyWrong++;
                    targetWrong++;
                }
            }
            if (isRefined) {
                boolean refinedRight = r.refined()[p] == t;
                evaluated++;
                refinedByClass[t]++;
                if (predictionRight) teacherCorrectByClass[t]++;
                addConfusion(t, r.refined()[p]);
                targetPixels++;
                if (refinedRight) {
                    correct++;
                    correctByClass[t]++;
                    if (!predictionRight) plarCorrected++;
                } else {
                    targetWrong++;
                    if (predictionRight) plarBroken++;
                }
                if (predictionRight) teacherCorrect++;
            }
            if (r.emdFlagged() != null) {
                boolean wrong = r.prediction()[p] != truth[p];
                if (emdFlag && wrong) emdTruePositive++;
                else if (emdFlag) emdFalsePositive++;
                else if (wrong) emdFalseNegative++;
            }
        }
    }

    /** Every counter as JSON: {@link #fromState} gives back a tally that goes on counting where this one stopped. */
    public JsonNode state() {
        return STATE.valueToTree(this);
    }

    /** The tally {@link #state} saved. */
    public static RefinementTally fromState(JsonNode state) {
        try {
            return STATE.treeToValue(state, RefinementTally.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a saved tally: " + e.getOriginalMessage(), e);
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

    private void ensureClass(int c) {
        if (c < flaggedByClass.length) return;
        flaggedByClass = Arrays.copyOf(flaggedByClass, c + 1);
        refinedByClass = Arrays.copyOf(refinedByClass, c + 1);
        correctByClass = Arrays.copyOf(correctByClass, c + 1);
        teacherCorrectByClass = Arrays.copyOf(teacherCorrectByClass, c + 1);
    }

    private void addConfusion(int truth, int assigned) {
        int need = Math.max(truth, assigned) + 1;
        if (need > confusionSide) {
            long[] grown = new long[need * need];
            for (int i = 0; i < confusionSide; i++) System.arraycopy(confusion, i * confusionSide, grown, i * need, confusionSide);
            confusion = grown;
            confusionSide = need;
        }
        confusion[truth * confusionSide + assigned]++;
    }

    /** Refined pixels counted by true class (rows) and PLAR's class (columns); empty without ground truth. */
    public long[][] confusion() {
        long[][] out = new long[confusionSide][confusionSide];
        for (int i = 0; i < confusionSide; i++) System.arraycopy(confusion, i * confusionSide, out[i], 0, confusionSide);
        return out;
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
            m.put("teacher_error_rate", json(ratio(teacherWrong, truthPixels)));
            m.put("teacher_errors_flagged", json(ratio(teacherWrongFlagged, teacherWrong)));
            m.put("mask_only_target_fraction", json(ratio(maskOnlyPixels, truthPixels)));
            m.put("mask_only_target_error_rate", json(ratio(maskOnlyWrong, maskOnlyPixels)));
            m.put("plar_target_fraction", json(ratio(targetPixels, truthPixels)));
            m.put("plar_target_error_rate", json(ratio(targetWrong, targetPixels)));
            m.put("plar_corrected_pixels", plarCorrected);
            m.put("plar_broken_pixels", plarBroken);
            m.put("teacher_error_removed", json(1 - ratio(targetWrong, teacherWrong)));
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

    /**
     * Per true class (ground truth only; empty without): {@code flagged} pixels of that class, the share PLAR
     * {@code refined}, the {@code accuracy} of those refinements and the Teacher's on the same pixels
     * ({@code teacher_accuracy}; null when none).
     *
     * @param classNames names by class id; ids beyond it are named by number
     */
    public List<Map<String, Object>> perClass(List<String> classNames) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int c = 0; c < flaggedByClass.length; c++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", c < classNames.size() ? classNames.get(c) : Integer.toString(c));
            m.put("flagged", flaggedByClass[c]);
            m.put("refined", refinedByClass[c]);
            m.put("refined_fraction", json(ratio(refinedByClass[c], flaggedByClass[c])));
            m.put("accuracy", json(ratio(correctByClass[c], refinedByClass[c])));
            m.put("teacher_accuracy", json(ratio(teacherCorrectByClass[c], refinedByClass[c])));
            out.add(m);
        }
        return out;
    }

    static Double json(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
