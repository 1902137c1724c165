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
 * <p>ReLU6 is libtorch's hardtanh(x, 0, 6), as PyTorch's nn.ReLU6 is ({@link Relu6Script}).
 */
public final class ActivationLayer extends AbstractBlock {
    private static final byte VERSION = 1;
    /** SEMIACTIVE_RELU6=clamp: ReLU6 as clamp(x, 0, 6) instead of the TorchScript hardtanh (speed comparisons). */
    static final boolean CLAMP = "clamp".equals(System.getenv("SEMIACTIVE_RELU6"));

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
        if (kind == Kind.RELU) return new NDList(Activation.relu(x));
        // DJL's Activation.relu6 is minimum(6, relu(x)): two passes forward, five ops backward; clamp's backward
        // is four passes; hardtanh (Relu6Script) is one each way (docs/speed.md)
        return new NDList(CLAMP ? x.clip(0, 6) : Relu6Script.apply(x));
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
