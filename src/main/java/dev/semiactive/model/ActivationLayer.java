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
        return new NDList(kind == Kind.RELU ? Activation.relu(x) : Activation.relu6(x));
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
