package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.LabelSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Objects;

/**
 * Pseudo-label auto-refinement (PLAR) for one image at a time: every pixel the error mask flags and that
 * has no label yet is compared with the class statistics; the {@link DecisionRule} either assigns a class
 * (auto-refined, no labelling budget spent) or leaves it undecided (a candidate for manual labelling).
 *
 * <p>Invariants and rules:
 * <ul>
 *   <li>A pixel that already has a label (existing label != 255) is NEVER changed, flagged or not.</li>
 *   <li>Only candidate classes ({@link ClassStatistics#isCandidate}) can be assigned.</li>
 *   <li>Fewer than 2 candidate classes: every flagged unlabelled pixel is undecided. With one known class
 *       both metrics would trivially "agree" on it for every pixel, which is no evidence at all.</li>
 *   <li>{@code undecidedWhenPseudoClassMissing} (default true): if the teacher's class at a pixel is not
 *       a candidate (too few labelled pixels), PLAR cannot confirm or refute it, so the pixel is
 *       undecided rather than pushed into the nearest well-known class. This protects rare classes, whose
 *       pixels would otherwise be "corrected" into frequent neighbours (PLAR over-correction).</li>
 *   <li>A flagged pixel with a non-finite feature is undecided (never a crash, never a NaN class).</li>
 * </ul>
 * Thread-safety: one refiner per thread (it owns per-pixel scratch buffers, so the loop allocates nothing).
 */
public final class PlarRefiner {
    private static final Logger LOG = LoggerFactory.getLogger(PlarRefiner.class);
    private static final int IGNORE = LabelSpace.IGNORE;

    private final ClassStatistics stats;
    private final DecisionRule rule;
    private final boolean undecidedWhenPseudoClassMissing;
    /** Pixels whose distances the plain-Java path computes together (see {@link ClassStatistics#batchDistances}). */
    static final int BATCH = 256;

    private final double[] feature;
    private final double[] batchFeatures;
    private final int[] batchPixels;
    private final double[] batchEuclideanSq;
    private final double[] batchMahalanobisSq;
    private final double[] euclideanSq;
    private final double[] mahalanobisSq;
    private final BatchDistances distances;
    private final int batch;

    private PlarRefiner(Builder b) {
        this.stats = b.stats;
        this.rule = b.rule;
        this.undecidedWhenPseudoClassMissing = b.undecidedWhenPseudoClassMissing;
        int d = stats.dimension(), k = stats.numClasses();
        this.distances = b.distances != null ? b.distances : stats.batchDistances(BATCH);
        this.batch = distances.capacity();
        this.feature = new double[d];
        this.batchFeatures = new double[batch * d];
        this.batchPixels = new int[batch];
        this.batchEuclideanSq = new double[batch * k];
        this.batchMahalanobisSq = new double[batch * k];
        this.euclideanSq = new double[k];
        this.mahalanobisSq = new double[k];
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Refines one image. All per-pixel arrays are at the feature map's resolution (see
     * {@link MaskResampling}).
     *
     * @param features       CHW features with the statistics' dimension
     * @param pseudoLabels   teacher argmax per pixel (0..K-1, or 255 where the teacher gave none)
     * @param errorMask      true where the error mask flags the pseudo-label as possibly wrong
     * @param existingLabels labels already given (255 = unlabelled), or null when the image has none
     */
    public RefinementResult refine(FeatureMap features, int[] pseudoLabels, boolean[] errorMask, int[] existingLabels) {
        Objects.requireNonNull(features, "features");
        features.requirePixels(pseudoLabels.length, "pseudo-label map");
        features.requirePixels(errorMask.length, "error mask");
        if (existingLabels != null) features.requirePixels(existingLabels.length, "existing label mask");
        if (features.channels() != stats.dimension())
            throw new SemiactiveException("PLAR features have " + features.channels() + " channels but the class statistics were built from "
                    + stats.dimension() + ": use the same feature tap for statistics and refinement");
        int k = stats.numClasses();
        int hw = features.pixels();
        int[] labels = new int[hw];
        byte[] status = new byte[hw];
        long flagged = 0, flaggedLabelled = 0, nonFinite = 0;
        boolean canDecide = stats.candidateCount() >= 2;
        int queued = 0;
        for (int p = 0; p < hw; p++) {
            int pseudo = pseudoLabels[p];
            if (pseudo != IGNORE && (pseudo < 0 || pseudo >= k))
                throw new SemiactiveException("pseudo-label " + pseudo + " at feature pixel " + p + " is outside the " + k
                        + " classes: the teacher and the class statistics must use the same label space");
            int existing = existingLabels == null ? IGNORE : existingLabels[p];
            if (errorMask[p]) flagged++;
            if (existing != IGNORE) {
                labels[p] = existing;
                status[p] = PixelStatus.LABELLED.code();
                if (errorMask[p]) flaggedLabelled++;
                continue;
            }
            labels[p] = IGNORE;
            if (!errorMask[p]) {
                status[p] = PixelStatus.UNFLAGGED.code();
                continue;
            }
            // Undecided unless the rule decides otherwise when the batch holding p is flushed.
            status[p] = PixelStatus.UNDECIDED.code();
            boolean pseudoUnknown = undecidedWhenPseudoClassMissing && pseudo != IGNORE && !stats.isCandidate(pseudo);
            if (!canDecide || pseudoUnknown) continue;
            if (!gather(features, p)) {
                nonFinite++;
                continue;
            }
            System.arraycopy(feature, 0, batchFeatures, queued * feature.length, feature.length);
            batchPixels[queued++] = p;
            if (queued == batch) {
                decideBatch(queued, labels, status);
                queued = 0;
            }
        }
        if (queued > 0) decideBatch(queued, labels, status);
        if (nonFinite > 0) LOG.warn("PLAR: {} flagged pixels had non-finite features and were left undecided", nonFinite);
        return new RefinementResult(features.height(), features.width(), k, labels, status,
                Arrays.copyOf(pseudoLabels, hw), flagged, flaggedLabelled);
    }

    /** Computes distances for the queued pixels and applies the rule to each. */
    private void decideBatch(int count, int[] labels, byte[] status) {
        int k = stats.numClasses();
        distances.distances(batchFeatures, count, batchEuclideanSq, batchMahalanobisSq);
        for (int b = 0; b < count; b++) {
            System.arraycopy(batchEuclideanSq, b * k, euclideanSq, 0, k);
            System.arraycopy(batchMahalanobisSq, b * k, mahalanobisSq, 0, k);
            int decided = rule.decide(euclideanSq, mahalanobisSq, stats);
            if (decided >= 0 && decided < k && stats.isCandidate(decided)) {
                int p = batchPixels[b];
                labels[p] = decided;
                status[p] = PixelStatus.REFINED.code();
            }
        }
    }

    /** Copies pixel p's feature into the scratch vector; false if any value is NaN or infinite. */
    private boolean gather(FeatureMap features, int p) {
        features.pixel(p, feature);
        for (double v : feature) if (!Double.isFinite(v)) return false;
        return true;
    }

    public ClassStatistics statistics() {
        return stats;
    }

    public DecisionRule rule() {
        return rule;
    }

    public boolean undecidedWhenPseudoClassMissing() {
        return undecidedWhenPseudoClassMissing;
    }

    public static final class Builder {
        private ClassStatistics stats;
        private DecisionRule rule = VoteRule.INSTANCE;
        private boolean undecidedWhenPseudoClassMissing = true;
        private BatchDistances distances;

        private Builder() {
        }

        /** The class statistics of this round's labelled pixels. Required. */
        public Builder setStatistics(ClassStatistics stats) {
            this.stats = Objects.requireNonNull(stats, "stats");
            return this;
        }

        /** Decision rule (default {@link VoteRule}); see {@link DecisionRule#byName}. */
        public Builder optRule(DecisionRule rule) {
            this.rule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** Leave a pixel undecided when its pseudo-label class is not a candidate (default true). */
        public Builder optUndecidedWhenPseudoClassMissing(boolean value) {
            this.undecidedWhenPseudoClassMissing = value;
            return this;
        }

        /**
         * How the distances are computed (default: plain Java, {@link ClassStatistics#batchDistances}); e.g.
         * {@link GemmDistances} over the same statistics. The refiner does not close it.
         */
        public Builder optDistances(BatchDistances distances) {
            this.distances = Objects.requireNonNull(distances, "distances");
            return this;
        }

        public PlarRefiner build() {
            if (stats == null) throw new IllegalStateException("setStatistics is required");
            // distances to another round's statistics would refine silently against the wrong classes
            if (distances != null && distances.statistics() != stats)
                throw new IllegalStateException("optDistances must be built from the same ClassStatistics as setStatistics");
            return new PlarRefiner(this);
        }
    }
}
