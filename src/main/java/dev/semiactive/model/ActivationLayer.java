package dev.semiactive.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A parameter-free ReLU / ReLU6 layer. DJL's {@code Activation.reluBlock()} is a LambdaBlock whose
 * {@code getOutputShapes} allocates a full-size array to find its output shape; this one answers
 * analytically, so initialising a deep network allocates nothing but parameters.
 *
 * <p>ReLU6 is libtorch's clamp(x, 0, 6), as PyTorch's ReLU6 (hardtanh) is.
 */
public final class ActivationLayer extends AbstractBlock {
    private static final byte VERSION = 1;

    /** The supported activations. */
    public enum Kind { RELU, RELU6 }

    private final Kind kind;

    public ActivationLayer(Kind kind) {
        super(VERSION);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // ReLU6 as one clamp: DJL's Activation.relu6 is minimum(6, relu(x)), two passes forward and five ops
        // backward (threshold, eq, gt, masked_fill, minimum) where clamp takes one each way (docs/speed.md)
        return new NDList(kind == Kind.RELU ? Activation.relu(x) : x.clip(0, 6));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return kind.name();
    }
}
