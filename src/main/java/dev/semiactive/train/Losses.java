package dev.semiactive.train;

import ai.djl.ndarray.NDArray;
import dev.semiactive.model.NdOps;
import ai.djl.ndarray.types.DataType;
import dev.semiactive.data.LabelSpace;

/**
 * Segmentation losses DJL lacks: cross-entropy with an ignore index (and an optional per-pixel weight, so a
 * semi-supervised method can restrict a pseudo-label loss to reliable pixels), and binary cross-entropy
 * with logits and positive weighting for the error mask decoder. Both average over the pixels they keep,
 * like PyTorch's {@code reduction="mean"} with {@code ignore_index}, and return 0 (never NaN) with a zero
 * gradient when no pixel is kept.
 *
 * <p>All results live in the manager of {@code logits}; pass logits owned by the step's manager.
 */
public final class Losses {
    private Losses() {
    }

    /**
     * A loss and the number of pixels it averaged over.
     *
     * @param loss       scalar float32, differentiable
     * @param keptPixels scalar float32: pixels with a label (and non-zero weight)
     */
    public record Value(NDArray loss, NDArray keptPixels) {
        public float lossValue() {
            return loss.getFloat();
        }

        public long kept() {
            return Math.round(keptPixels.getFloat());
        }
    }

    /** Cross-entropy of (N,K,H,W) logits against (N,H,W) integer targets, {@link LabelSpace#IGNORE} ignored. */
    public static Value crossEntropy(NDArray logits, NDArray targets) {
        return crossEntropy(logits, targets, null);
    }

    /**
     * Weighted cross-entropy: sum(w * -log p[target]) / sum(w) over pixels whose target is not ignored.
     *
     * @param logits      (N,K,H,W) unnormalised scores
     * @param targets     (N,H,W) class ids (any integer or float type), 255 = ignore
     * @param pixelWeight (N,H,W) non-negative weights or a 0/1 keep mask (boolean allowed); null = all 1
     * @return the loss and the number of kept pixels (target not ignored and weight > 0)
     */
    public static Value crossEntropy(NDArray logits, NDArray targets, NDArray pixelWeight) {
        if (logits.getShape().dimension() != 4 || targets.getShape().dimension() != 3)
            throw new IllegalArgumentException("crossEntropy wants (N,K,H,W) logits and (N,H,W) targets, got "
                    + logits.getShape() + " and " + targets.getShape());
        NDArray t = targets.toType(DataType.INT64, false);
        NDArray valid = t.neq(LabelSpace.IGNORE);
        // ignored pixels point at class 0 so gather stays in range; their weight is 0 below
        NDArray safe = t.mul(valid.toType(DataType.INT64, false)).expandDims(1);
        NDArray nll = logits.logSoftmax(1).gather(safe, 1).squeeze(1).neg();
        NDArray weight = valid.toType(DataType.FLOAT32, false);
        if (pixelWeight != null) weight = weight.mul(pixelWeight.toType(DataType.FLOAT32, false));
        NDArray kept = weight.gt(0).toType(DataType.FLOAT32, false).sum();
        NDArray total = weight.sum();
        // max(total, 1e-12) keeps 0/0 at 0 with zero gradient: the numerator is exactly 0 then
        NDArray loss = nll.mul(weight).sum().div(total.maximum(NdOps.scalar(total, 1e-12)));
        return new Value(loss, kept);
    }

    /**
     * Binary cross-entropy with logits and positive weighting, as PyTorch's
     * {@code BCEWithLogitsLoss(pos_weight)}: -(pw * y * log sigma(x) + (1 - y) * log(1 - sigma(x))),
     * averaged over kept pixels; computed with the stable softplus form.
     *
     * @param logits    any shape, e.g. (N,1,H,W)
     * @param targets   same number of elements, 0/1 (any type)
     * @param keep      same number of elements, 1 where the pixel counts (e.g. labelled), null = all
     * @param posWeight weight of positive targets (1 = plain BCE; neg/pos ratio balances rare errors)
     */
    public static Value binaryCrossEntropyWithLogits(NDArray logits, NDArray targets, NDArray keep, float posWeight) {
        if (logits.size() != targets.size() || (keep != null && keep.size() != logits.size()))
            throw new IllegalArgumentException("binaryCrossEntropyWithLogits: logits " + logits.getShape()
                    + ", targets " + targets.getShape() + (keep == null ? "" : ", keep " + keep.getShape())
                    + " must have the same number of elements");
        NDArray x = logits.reshape(-1);
        NDArray y = targets.toType(DataType.FLOAT32, false).reshape(-1);
        // softplus(z) = max(z, 0) + log(1 + exp(-|z|)); -log sigma(x) = softplus(-x), -log(1-sigma(x)) = softplus(x)
        NDArray logTerm = x.abs().neg().exp().add(1f).log();
        // an owned 0, not maximum(0f): a Number operand is saved for the backward on a buffer the GC may free (NdOps)
        NDArray zero = NdOps.scalar(x, 0);
        NDArray softplusPos = x.maximum(zero).add(logTerm);
        NDArray softplusNeg = x.neg().maximum(zero).add(logTerm);
        NDArray perPixel = y.mul(posWeight).mul(softplusNeg).add(y.neg().add(1f).mul(softplusPos));
        NDArray weight = keep == null ? x.onesLike() : keep.toType(DataType.FLOAT32, false).reshape(-1);
        NDArray kept = weight.gt(0).toType(DataType.FLOAT32, false).sum();
        NDArray total = weight.sum();
        NDArray loss = perPixel.mul(weight).sum().div(total.maximum(NdOps.scalar(total, 1e-12)));
        return new Value(loss, kept);
    }
}
