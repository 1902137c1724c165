package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.LabelSpace;

/**
 * PLAR quality over many images (SPEC "Metrics: PLAR"): refined and undecided fractions of the pixels
 * PLAR had to decide, and, where ground truth is known (benchmarks with a simulated oracle), the accuracy
 * of the auto-refined labels overall and per assigned class, next to the teacher's accuracy on the same
 * pixels (so one can see whether PLAR actually corrects the teacher). Accumulate with {@link #add},
 * combine partial results (per worker, per round) with {@link #merge}. Not thread-safe.
 *
 * <p>Undefined ratios (nothing refined, nothing evaluated) are NaN, never 0, so a report cannot mistake
 * "no data" for "all wrong".
 */
public final class RefinementMetrics {
    private static final int IGNORE = LabelSpace.IGNORE;

    private final int numClasses;
    private long images;
    private long flagged;
    private long candidates;
    private long refined;
    private long undecided;
    private long corrected;
    private long evaluated;
    private long correct;
    private long teacherCorrect;
    private final long[] refinedPerClass;
    private final long[] evaluatedPerClass;
    private final long[] correctPerClass;

    public RefinementMetrics(int numClasses) {
        if (numClasses < 1) throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        this.numClasses = numClasses;
        this.refinedPerClass = new long[numClasses];
        this.evaluatedPerClass = new long[numClasses];
        this.correctPerClass = new long[numClasses];
    }

    /** Adds an image without ground truth (only counts and fractions). */
    public void add(RefinementResult result) {
        add(result, null);
    }

    /**
     * Adds an image.
     *
     * @param groundTruth true class per feature pixel (255 = unknown: that pixel is not evaluated), or null
     */
    public void add(RefinementResult result, int[] groundTruth) {
        if (result.numClasses() != numClasses)
            throw new IllegalArgumentException("result has " + result.numClasses() + " classes, metrics " + numClasses);
        if (groundTruth != null && groundTruth.length != result.pixels())
            throw new SemiactiveException("ground truth has " + groundTruth.length + " values but the PLAR result is "
                    + result.height() + "x" + result.width() + ": bring it to feature resolution with MaskResampling first");
        images++;
        flagged += result.flagged();
        candidates += result.candidates();
        refined += result.refined();
        undecided += result.undecided();
        corrected += result.corrected();
        for (int c = 0; c < numClasses; c++) refinedPerClass[c] += result.refined(c);
        if (groundTruth == null) return;
        int[] labels = result.labels();
        int[] pseudo = result.pseudoLabels();
        for (int p = 0; p < labels.length; p++) {
            if (result.status(p) != PixelStatus.REFINED || groundTruth[p] == IGNORE) continue;
            int c = labels[p];
            evaluated++;
            evaluatedPerClass[c]++;
            if (groundTruth[p] == c) {
                correct++;
                correctPerClass[c]++;
            }
            if (pseudo[p] == groundTruth[p]) teacherCorrect++;
        }
    }

    /** Adds another accumulator's counts into this one. */
    public void merge(RefinementMetrics other) {
        if (other.numClasses != numClasses)
            throw new IllegalArgumentException("cannot merge metrics of " + other.numClasses + " classes into " + numClasses);
        images += other.images;
        flagged += other.flagged;
        candidates += other.candidates;
        refined += other.refined;
        undecided += other.undecided;
        corrected += other.corrected;
        evaluated += other.evaluated;
        correct += other.correct;
        teacherCorrect += other.teacherCorrect;
        for (int c = 0; c < numClasses; c++) {
            refinedPerClass[c] += other.refinedPerClass[c];
            evaluatedPerClass[c] += other.evaluatedPerClass[c];
            correctPerClass[c] += other.correctPerClass[c];
        }
    }

    public long images() {
        return images;
    }

    public long flagged() {
        return flagged;
    }

    /** Flagged unlabelled pixels (refined + undecided). */
    public long candidates() {
        return candidates;
    }

    public long refined() {
        return refined;
    }

    public long undecided() {
        return undecided;
    }

    public long corrected() {
        return corrected;
    }

    /** Refined pixels with known ground truth. */
    public long evaluated() {
        return evaluated;
    }

    public long correct() {
        return correct;
    }

    /** Auto-refined fraction of the flagged unlabelled pixels (NaN if there were none). */
    public double refinedFraction() {
        return ratio(refined, candidates);
    }

    /** Undecided fraction of the flagged unlabelled pixels (NaN if there were none). */
    public double undecidedFraction() {
        return ratio(undecided, candidates);
    }

    /** Fraction of evaluated refined pixels whose PLAR class equals the ground truth (SPEC target >= 0.85). */
    public double accuracy() {
        return ratio(correct, evaluated);
    }

    /** Fraction of the same evaluated refined pixels where the teacher pseudo-label was already right. */
    public double teacherAccuracy() {
        return ratio(teacherCorrect, evaluated);
    }

    /** Of the evaluated pixels PLAR labelled c, the fraction whose ground truth is c (NaN if none). */
    public double accuracy(int c) {
        return ratio(correctPerClass[c], evaluatedPerClass[c]);
    }

    public long refined(int c) {
        return refinedPerClass[c];
    }

    public long evaluated(int c) {
        return evaluatedPerClass[c];
    }

    public long correct(int c) {
        return correctPerClass[c];
    }

    private static double ratio(long num, long den) {
        return den == 0 ? Double.NaN : (double) num / den;
    }

    /** An immutable snapshot for reports (JSON via Jackson). */
    public Summary summary() {
        double[] perClass = new double[numClasses];
        for (int c = 0; c < numClasses; c++) perClass[c] = accuracy(c);
        return new Summary(images, flagged, candidates, refined, undecided, corrected, evaluated, correct,
                refinedFraction(), undecidedFraction(), accuracy(), teacherAccuracy(),
                refinedPerClass.clone(), evaluatedPerClass.clone(), correctPerClass.clone(), perClass);
    }

    /** Snapshot of {@link RefinementMetrics}; ratios are NaN where undefined. */
    public record Summary(long images, long flagged, long candidates, long refined, long undecided, long corrected,
                          long evaluated, long correct, double refinedFraction, double undecidedFraction,
                          double accuracy, double teacherAccuracy, long[] refinedPerClass, long[] evaluatedPerClass,
                          long[] correctPerClass, double[] accuracyPerClass) {
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "PLAR: %d images, %d flagged, %d to decide, refined %.1f%%, undecided %.1f%%, accuracy %.1f%% (teacher %.1f%%) on %d",
                images, flagged, candidates, 100 * refinedFraction(), 100 * undecidedFraction(), 100 * accuracy(),
                100 * teacherAccuracy(), evaluated);
    }
}
