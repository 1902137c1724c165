package dev.semiactive.plar;

import dev.semiactive.data.LabelSpace;

import java.util.Arrays;

/**
 * PLAR's output for one image, at feature resolution. Accessors return copies, so the result can be
 * kept (e.g. per round) without callers aliasing its arrays.
 */
public final class RefinementResult {
    private static final int IGNORE = LabelSpace.IGNORE;

    private final int height;
    private final int width;
    private final int numClasses;
    private final int[] labels;
    private final byte[] status;
    private final int[] pseudoLabels;
    private final long flagged;
    private final long flaggedLabelled;
    private final long refined;
    private final long undecided;
    private final long corrected;
    private final long[] refinedPerClass;

    RefinementResult(int height, int width, int numClasses, int[] labels, byte[] status, int[] pseudoLabels,
                     long flagged, long flaggedLabelled) {
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.labels = labels;
        this.status = status;
        this.pseudoLabels = pseudoLabels;
        this.flagged = flagged;
        this.flaggedLabelled = flaggedLabelled;
        long r = 0, u = 0, changed = 0;
        long[] perClass = new long[numClasses];
        for (int p = 0; p < status.length; p++) {
            if (status[p] == PixelStatus.REFINED.code()) {
                r++;
                perClass[labels[p]]++;
                if (labels[p] != pseudoLabels[p]) changed++;
            } else if (status[p] == PixelStatus.UNDECIDED.code()) {
                u++;
            }
        }
        this.refined = r;
        this.undecided = u;
        this.corrected = changed;
        this.refinedPerClass = perClass;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int numClasses() {
        return numClasses;
    }

    public int pixels() {
        return status.length;
    }

    /**
     * The label map: existing labels unchanged, the PLAR class at refined pixels, 255 everywhere else
     * (unflagged and undecided pixels). This is the "PLAR label" layer the trainer lays over the teacher's
     * live pseudo-labels.
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * A complete training target for this image: existing labels, the PLAR class at refined pixels, the
     * teacher pseudo-label given to {@link PlarRefiner#refine} at unflagged unlabelled pixels, and 255 at
     * undecided pixels. (The TSF loss additionally applies its confidence threshold; this map is for
     * callers that want one static target.)
     */
    public int[] trainingTarget() {
        int[] t = labels.clone();
        for (int p = 0; p < t.length; p++) if (status[p] == PixelStatus.UNFLAGGED.code()) t[p] = pseudoLabels[p];
        return t;
    }

    /** The teacher pseudo-labels the refinement was run with. */
    public int[] pseudoLabels() {
        return pseudoLabels.clone();
    }

    public PixelStatus status(int p) {
        return PixelStatus.of(status[p]);
    }

    /** True where the pixel was auto-refined. */
    public boolean[] refinedMask() {
        return mask(PixelStatus.REFINED);
    }

    /** True where the pixel is undecided: the candidates for manual labelling. */
    public boolean[] undecidedMask() {
        return mask(PixelStatus.UNDECIDED);
    }

    private boolean[] mask(PixelStatus s) {
        boolean[] m = new boolean[status.length];
        for (int p = 0; p < m.length; p++) m[p] = status[p] == s.code();
        return m;
    }

    /** Pixels the error mask flagged, labelled or not. */
    public long flagged() {
        return flagged;
    }

    /** Flagged pixels that already had a label (never changed). */
    public long flaggedLabelled() {
        return flaggedLabelled;
    }

    /** Flagged, unlabelled pixels: the ones PLAR had to decide; refined + undecided. */
    public long candidates() {
        return refined + undecided;
    }

    public long refined() {
        return refined;
    }

    public long undecided() {
        return undecided;
    }

    /** Refined pixels whose PLAR class differs from the teacher pseudo-label (the corrections). */
    public long corrected() {
        return corrected;
    }

    /** Refined pixels assigned class c. */
    public long refined(int c) {
        return refinedPerClass[c];
    }

    public long[] refinedPerClass() {
        return refinedPerClass.clone();
    }

    /** refined / candidates, 0 when there was nothing to decide. */
    public double refinedFraction() {
        return candidates() == 0 ? 0.0 : (double) refined / candidates();
    }

    /** undecided / candidates, 0 when there was nothing to decide. */
    public double undecidedFraction() {
        return candidates() == 0 ? 0.0 : (double) undecided / candidates();
    }

    @Override
    public String toString() {
        return "RefinementResult{" + height + "x" + width + ", flagged=" + flagged + ", flaggedLabelled=" + flaggedLabelled
                + ", refined=" + refined + ", undecided=" + undecided + ", corrected=" + corrected
                + ", refinedPerClass=" + Arrays.toString(refinedPerClass) + "}";
    }
}
