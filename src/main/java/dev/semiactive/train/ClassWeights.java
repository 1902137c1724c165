package dev.semiactive.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.semiactive.data.ClassCounts;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.SegmentationDataset;

import java.util.Arrays;

/**
 * Per-class weights of the supervised cross-entropy from the labelled pixels' class frequencies:
 * {@code w(c) = f(c)^-power}, scaled so the labelled pixels' mean weight is 1, and capped at {@link #MAX_WEIGHT}.
 * A class with no labelled pixel gets weight 0 (it never is a target).
 *
 * <p>Why: with a few percent of the pixels labelled, the frequent classes (Road, Building, Sky on CamVid) fill
 * the labelled set and the loss; a class with a few thousand labelled pixels (Tree at 1-6%, Sign, Pole) gets
 * almost no gradient and the network learns it last or never (BENCHMARKS.md, "250 steps a round": Tree IoU 0
 * until 6% on random's labels). Power 0.5 (inverse square root of the frequency) is a common, mild choice;
 * 1 is inverse frequency (SegNet's median frequency balancing up to a constant). The weights are fixed for a
 * training run: an active-learning round computes them from its own label set.
 */
public final class ClassWeights {
    /** Cap on any class's weight (relative to a mean of 1): a class with a handful of pixels must not dominate. */
    public static final double MAX_WEIGHT = 10.0;

    private final float[] weights;

    private ClassWeights(float[] weights) {
        this.weights = weights;
    }

    /** {@code power} if it is in [0, 1], else an error: the check of every method builder taking a power. */
    public static double checkPower(double power) {
        if (!(power >= 0 && power <= 1)) throw new IllegalArgumentException("class weight power must be in [0, 1], got " + power);
        return power;
    }

    /** Weights from labelled pixel counts per class; {@code power} in [0, 1], 0 = every labelled class 1. */
    public static ClassWeights fromCounts(long[] counts, double power) {
        checkPower(power);
        long total = 0;
        for (long c : counts) {
            if (c < 0) throw new IllegalArgumentException("negative class count in " + Arrays.toString(counts));
            total += c;
        }
        double[] raw = new double[counts.length];
        double mean = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) continue;
            double f = (double) counts[c] / total;
            raw[c] = Math.pow(f, -power);
            mean += f * raw[c];
        }
        float[] w = new float[counts.length];
        for (int c = 0; c < counts.length; c++) w[c] = mean > 0 ? (float) Math.min(raw[c] / mean, MAX_WEIGHT) : 0f;
        return new ClassWeights(w);
    }

    /** A training run's weights: from {@code labelled}'s masks for a power above 0, null (unweighted) at 0. */
    public static ClassWeights forRun(SegmentationDataset labelled, double power) {
        return power > 0 ? fromLabelled(labelled, power) : null;
    }

    /** Weights from the masks of {@code labelled} (read once). */
    public static ClassWeights fromLabelled(SegmentationDataset labelled, double power) {
        return fromCounts(ClassCounts.of(labelled), power);
    }

    /** The weight of each class id. */
    public float[] weights() {
        return weights.clone();
    }

    /**
     * The (N,H,W) float32 weight of each pixel of {@code targets} (N,H,W): its class's weight, 0 where the
     * target is {@link LabelSpace#IGNORE}; in the manager of {@code targets}, to pass to
     * {@link Losses#crossEntropy(NDArray, NDArray, NDArray)}.
     */
    public NDArray pixelWeights(NDArray targets) {
        NDArray t = targets.toType(DataType.INT64, false);
        NDArray valid = t.neq(LabelSpace.IGNORE);
        NDArray inRange = t.lt(weights.length).logicalAnd(t.gte(0));
        if (valid.logicalAnd(inRange.logicalNot()).any().getBoolean())
            throw new IllegalArgumentException("a target is outside the " + weights.length + " weighted classes");
        NDArray safe = t.mul(valid.toType(DataType.INT64, false)).reshape(-1);
        NDArray table = NativeStaging.floats(targets.getManager(), weights, new Shape(weights.length));
        // a (pixels, K) gather of the class table: DJL has no 1-D take for a tensor index on every engine
        NDArray perPixel = table.reshape(1, weights.length).broadcast(new Shape(safe.size(), weights.length))
                .gather(safe.expandDims(1), 1).squeeze(1);
        return perPixel.mul(valid.reshape(-1).toType(DataType.FLOAT32, false)).reshape(targets.getShape());
    }

    @Override
    public String toString() {
        return Arrays.toString(weights);
    }
}
