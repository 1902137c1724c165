package dev.semiactive.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A backbone split where DeepLabv3+ taps it: {@code low} maps the image to stride-4 low-level features,
 * {@code high} continues from there to the output-stride features fed to ASPP. The forward returns
 * {@code NDList[low-level, high-level]}.
 */
public final class Encoder extends AbstractBlock {
    private static final byte VERSION = 1;
    /** Index of the stride-4 features in the output. */
    public static final int LOW = 0;
    /** Index of the output-stride features in the output. */
    public static final int HIGH = 1;

    private final Block low;
    private final Block high;

    public Encoder(Block low, Block high) {
        super(VERSION);
        this.low = addChildBlock("low", low);
        this.high = addChildBlock("high", high);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray lowFeatures = low.forward(parameterStore, inputs, training, params).singletonOrThrow();
        NDArray highFeatures = high.forward(parameterStore, new NDList(lowFeatures), training, params)
                .singletonOrThrow();
        return new NDList(lowFeatures, highFeatures);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        low.initialize(manager, dataType, inputShapes);
        high.initialize(manager, dataType, low.getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] lowShape = low.getOutputShapes(inputShapes);
        return new Shape[] {lowShape[0], high.getOutputShapes(lowShape)[0]};
    }
}
