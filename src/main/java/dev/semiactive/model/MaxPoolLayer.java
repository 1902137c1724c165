package dev.semiactive.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The 3x3 / stride 2 / padding 1 max pooling of the ResNet stem, with analytic output shapes. */
public final class MaxPoolLayer extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final Shape KERNEL = new Shape(3, 3);
    private static final Shape STRIDE = new Shape(2, 2);
    private static final Shape PAD = new Shape(1, 1);

    public MaxPoolLayer() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(Pool.maxPool2d(inputs.singletonOrThrow(), KERNEL, STRIDE, PAD, false));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), Layers.convOut(in.get(2), 3, 2, 1, 1),
                Layers.convOut(in.get(3), 3, 2, 1, 1))};
    }

    @Override
    public String toString() {
        return "MaxPool3x3s2";
    }
}
