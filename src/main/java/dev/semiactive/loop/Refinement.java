package dev.semiactive.loop;

import ai.djl.ndarray.NDManager;
import dev.semiactive.config.FeatureTap;
import dev.semiactive.config.PlarConfig;
import dev.semiactive.config.PlarRule;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.plar.ClassStatistics;
import dev.semiactive.plar.ClassStatisticsAccumulator;
import dev.semiactive.plar.DecisionRule;
import dev.semiactive.plar.GemmDistances;
import dev.semiactive.plar.VoteRule;
import dev.semiactive.plar.FeatureMap;
import dev.semiactive.plar.MaskResampling;
import dev.semiactive.plar.PlarRefiner;
import dev.semiactive.plar.RefinementResult;
import dev.semiactive.plar.Shrinkage;
import dev.semiactive.plar.StatisticsOptions;

import java.util.BitSet;
import java.util.Objects;

/**
 * The error mask and PLAR for model outputs, shared by the active-learning loop and {@code semiactive
 * refine} so both refine the same way (SPEC "Error mask and PLAR"):
 * <ol>
 *   <li>error mask per image pixel = (confidence &lt; tau) OR (EMD probability &gt; 0.5, when the
 *       checkpoint has an EMD);</li>
 *   <li>class statistics from the labelled pixels' features ({@code plar.features}: F2 by default),
 *       streamed through a {@link ClassStatisticsAccumulator} (bounded memory);</li>
 *   <li>per image, the refiner decides the flagged unlabelled pixels on the feature grid; the outcome is
 *       brought back to image resolution and kept only on flagged unlabelled image pixels.</li>
 * </ol>
 * A feature pixel counts as flagged when at least {@link #FLAGGED_BLOCK_FRACTION} of its image pixels are:
 * object borders, where low confidence concentrates, are thin bands that a majority rule would drop.
 */
public final class Refinement {
    /** Share of a feature pixel's image block that must be flagged for PLAR to decide it. */
    public static final double FLAGGED_BLOCK_FRACTION = 0.25;
    /** Share of a feature pixel's block one class must cover to be that pixel's (statistics, existing labels). */
    public static final double LABEL_BLOCK_FRACTION = 0.5;

    private final int numClasses;
    private final PlarConfig plar;
    private final double threshold;
    private final long seed;

    /**
     * @param numClasses K
     * @param plar       feature tap, samples per class, shrinkage, rule
     * @param threshold  tau: pixels whose top class probability is below it are flagged ({@code tsf.threshold})
     * @param seed       reservoir sampling seed of the statistics
     */
    public Refinement(int numClasses, PlarConfig plar, double threshold, long seed) {
        this.numClasses = numClasses;
        this.plar = Objects.requireNonNull(plar);
        this.threshold = threshold;
        this.seed = seed;
    }

    public ClassStatisticsAccumulator newAccumulator() {
        return ClassStatisticsAccumulator.builder().setNumClasses(numClasses)
                .optMaxSamplesPerClass(plar.maxPixelsPerClass()).optSeed(seed).build();
    }

    /** The configured feature tap of an image's outputs (F1 is resized onto F2's grid for {@code both}). */
    public FeatureMap features(ModelOutputs o) {
        return switch (plar.features()) {
            case F1 -> o.f1();
            case F2 -> o.f2();
            case BOTH -> FeatureMap.concat(o.f1().resizeBilinear(o.f2().height(), o.f2().width()), o.f2());
        };
    }

    /** Adds the labelled pixels of one image (mask at image resolution, 255 = unlabelled) to the statistics. */
    public void addLabelled(ClassStatisticsAccumulator acc, ModelOutputs o, int[] mask) {
        FeatureMap f = features(o);
        acc.add(f, MaskResampling.downsampleMajority(mask, o.height(), o.width(), f.height(), f.width(), LABEL_BLOCK_FRACTION));
    }

    /** Flagged pixels whose distances go through one matrix product: ~23 MB of float64 products at d = 256, K = 11. */
    public static final int GEMM_BATCH = 1024;

    /**
     * A refiner over the statistics gathered so far, its distances computed as matrix products in the engine
     * ({@link GemmDistances}, under {@code manager}: close that after the last image), or in plain Java when
     * {@code manager} is null.
     */
    public PlarRefiner refiner(ClassStatisticsAccumulator acc, NDManager manager) {
        ClassStatistics stats = acc.build(StatisticsOptions.builder()
                .optShrinkage(Shrinkage.fixed(plar.shrinkage())).optClassBalanced(plar.classBalanced()).build());
        DecisionRule rule = plar.rule() == PlarRule.VOTE ? VoteRule.withMargin(plar.margin()) : DecisionRule.byName(plar.rule().configName());
        PlarRefiner.Builder b = PlarRefiner.builder().setStatistics(stats).optRule(rule);
        if (manager != null) b.optDistances(new GemmDistances(stats, manager, GEMM_BATCH));
        return b.build();
    }

    /** Prediction and error mask without PLAR (no statistics yet, or none wanted). */
    public ImageRefinement errorMask(ModelOutputs o) {
        return refine(null, o, null);
    }

    /**
     * Error mask and (with a refiner) PLAR for one image.
     *
     * @param refiner  null: error mask only, nothing refined or undecided
     * @param existing labels already given at image resolution (255 = none), or null
     */
    public ImageRefinement refine(PlarRefiner refiner, ModelOutputs o, int[] existing) {
        int h = o.height(), w = o.width(), n = h * w;
        int[] prediction = new int[n];
        float[] confidence = new float[n];
        o.argmax(prediction, confidence);
        boolean[] emdFlag = null;
        if (o.emd() != null) {
            int fh = o.f2().height(), fw = o.f2().width();
            int[] wrong = new int[fh * fw];
            for (int i = 0; i < wrong.length; i++) wrong[i] = o.emd()[i] > 0.5f ? 1 : 0;
            int[] up = MaskResampling.upsampleNearest(wrong, fh, fw, h, w);
            emdFlag = new boolean[n];
            for (int p = 0; p < n; p++) emdFlag[p] = up[p] == 1;
        }
        boolean[] flagged = new boolean[n];
        for (int p = 0; p < n; p++) flagged[p] = confidence[p] < threshold || (emdFlag != null && emdFlag[p]);
        int[] refined = new int[n];
        java.util.Arrays.fill(refined, LabelSpace.IGNORE);
        BitSet undecided = new BitSet(n);
        if (refiner != null) {
            FeatureMap f = features(o);
            int fh = f.height(), fw = f.width();
            RefinementResult r = refiner.refine(f,
                    MaskResampling.downsampleNearest(prediction, h, w, fh, fw),
                    MaskResampling.downsampleFraction(flagged, h, w, fh, fw, FLAGGED_BLOCK_FRACTION),
                    existing == null ? null : MaskResampling.downsampleMajority(existing, h, w, fh, fw, LABEL_BLOCK_FRACTION));
            int[] labels = MaskResampling.upsampleNearest(r.labels(), fh, fw, h, w);
            int[] undecidedUp = MaskResampling.upsampleNearest(asInts(r.undecidedMask()), fh, fw, h, w);
            int[] refinedUp = MaskResampling.upsampleNearest(asInts(r.refinedMask()), fh, fw, h, w);
            for (int p = 0; p < n; p++) {
                // only flagged, unlabelled image pixels take PLAR's outcome: a labelled pixel is never changed
                if (!flagged[p] || (existing != null && existing[p] != LabelSpace.IGNORE)) continue;
                if (refinedUp[p] == 1) refined[p] = labels[p];
                else if (undecidedUp[p] == 1) undecided.set(p);
            }
        }
        return new ImageRefinement(o.id(), h, w, prediction, flagged, emdFlag, refined, undecided);
    }

    private static int[] asInts(boolean[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] ? 1 : 0;
        return out;
    }

    /**
     * One image's outcome at image resolution.
     *
     * @param prediction the model's class per pixel
     * @param flagged    error mask
     * @param emdFlagged the EMD's part of it (P(wrong) &gt; 0.5), null without an EMD
     * @param refined    PLAR's class where it refined a flagged unlabelled pixel, 255 elsewhere
     * @param undecided  flagged unlabelled pixels PLAR could not decide
     */
    public record ImageRefinement(String id, int height, int width, int[] prediction, boolean[] flagged,
                                  boolean[] emdFlagged, int[] refined, BitSet undecided) {
        /** Flagged pixels as a bit set (row-major). */
        public BitSet flaggedBits() {
            BitSet b = new BitSet(flagged.length);
            for (int p = 0; p < flagged.length; p++) if (flagged[p]) b.set(p);
            return b;
        }

        /** Prediction with PLAR's classes at refined pixels and 255 at undecided ones: a training target. */
        public int[] target() {
            int[] t = prediction.clone();
            for (int p = 0; p < t.length; p++) {
                if (refined[p] != LabelSpace.IGNORE) t[p] = refined[p];
                else if (undecided.get(p)) t[p] = LabelSpace.IGNORE;
            }
            return t;
        }
    }

    /** The feature tap in use (for reports). */
    public FeatureTap featureTap() {
        return plar.features();
    }
}
