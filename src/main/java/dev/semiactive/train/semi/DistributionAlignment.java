package dev.semiactive.train.semi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.data.ClassCounts;
import dev.semiactive.train.NativeStaging;

/**
 * Distribution alignment of the Teacher's class probabilities (ReMixMatch, Berthelot et al. 2020), applied
 * before the pseudo-label's confidence and argmax: {@code p'(c) = p(c) * prior(c) / mean(c)}, renormalised
 * over the classes, where {@code prior} is the class frequency of the labelled pixels and {@code mean} a
 * moving average of the Teacher's own mean probability per class on unlabelled images.
 *
 * <p>Why: a Teacher trained from scratch merges a minority class into a similar majority one (on CamVid at
 * 1/8 labelled, Pavement into Road: BENCHMARKS.md, ablation); its confident pseudo-labels then teach the
 * Student the merge, and the merged class disappears. When the Teacher predicts a class less often than the
 * labelled pixels say it occurs, alignment raises that class's probability, so pseudo-labels keep it.
 *
 * <p>The moving average starts from the first batch and decays by {@link #DECAY} a step; it is not
 * checkpointed (a resumed run starts it again from its first batch).
 */
final class DistributionAlignment {
    /** Per-step decay of the moving average (about the last 100 batches). */
    static final double DECAY = 0.99;
    /** Floor of both distributions, so an absent class neither divides by zero nor is erased. */
    static final double FLOOR = 1e-6;

    private final double[] prior;
    private double[] mean;

    DistributionAlignment(double[] prior) {
        this.prior = prior.clone();
    }

    /** Class frequencies of the labelled pixels of {@code labelled} (255 and out-of-range ids ignored). */
    static DistributionAlignment fromLabelled(SegmentationDataset labelled) {
        long[] counts = ClassCounts.of(labelled);
        double[] c = new double[counts.length];
        for (int i = 0; i < c.length; i++) c[i] = counts[i];
        return new DistributionAlignment(normalised(c));
    }

    double[] prior() {
        return prior.clone();
    }

    /**
     * The aligned probabilities of {@code probabilities} (N x K x H x W, softmax over axis 1); folds this batch's
     * mean per class into the moving average first.
     */
    NDArray align(NDArray probabilities) {
        int k = (int) probabilities.getShape().get(1);
        if (k != prior.length)
            throw new IllegalArgumentException("the Teacher predicts " + k + " classes, the labelled prior has " + prior.length);
        Shape shape = probabilities.getShape();
        float pixels = (float) (shape.get(0) * shape.get(2) * shape.get(3));
        // sum over several axes at once (DJL's PyTorch mean takes one axis at a time)
        float[] batchMean = probabilities.sum(new int[] {0, 2, 3}).div(pixels).toFloatArray();
        update(batchMean);
        float[] ratio = ratio();
        NDArray r = NativeStaging.floats(probabilities.getManager(), ratio, new Shape(1, k, 1, 1));
        NDArray scaled = probabilities.mul(r);
        return scaled.div(scaled.sum(new int[] {1}, true));
    }

    /** Folds one batch's mean probability per class into the moving average. */
    void update(float[] batchMean) {
        if (mean == null) {
            mean = new double[batchMean.length];
            for (int c = 0; c < mean.length; c++) mean[c] = batchMean[c];
            return;
        }
        for (int c = 0; c < mean.length; c++) mean[c] = DECAY * mean[c] + (1 - DECAY) * batchMean[c];
    }

    /** prior(c) / mean(c), both floored. */
    float[] ratio() {
        float[] r = new float[prior.length];
        for (int c = 0; c < r.length; c++) r[c] = (float) (Math.max(prior[c], FLOOR) / Math.max(mean[c], FLOOR));
        return r;
    }

    private static double[] normalised(double[] counts) {
        double total = 0;
        for (double v : counts) total += v;
        double[] p = new double[counts.length];
        for (int c = 0; c < p.length; c++) p[c] = total > 0 ? counts[c] / total : 1.0 / p.length;
        return p;
    }
}
