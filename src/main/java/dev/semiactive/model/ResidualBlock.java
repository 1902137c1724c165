package dev.semiactive.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code out = act(main(x) + shortcut(x))}: MobileNetV2's inverted residual (identity shortcut, no
 * activation after the sum) and ResNet's bottleneck (identity or 1x1 conv-BN shortcut, ReLU after).
 */
public final class ResidualBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Block main;
    private final Block shortcut;
    private final boolean reluAfterSum;

    /**
     * @param main the residual branch
     * @param shortcut the projection shortcut, or null for identity
     * @param reluAfterSum whether a ReLU follows the sum (ResNet) or not (MobileNetV2)
     */
    public ResidualBlock(Block main, Block shortcut, boolean reluAfterSum) {
        super(VERSION);
        this.main = addChildBlock("main", main);
        this.shortcut = shortcut == null ? null : addChildBlock("shortcut", shortcut);
        this.reluAfterSum = reluAfterSum;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray y = main.forward(parameterStore, inputs, training, params).singletonOrThrow();
        NDArray s = shortcut == null ? inputs.singletonOrThrow()
                : shortcut.forward(parameterStore, inputs, training, params).singletonOrThrow();
        NDArray sum = y.add(s);
        // intermediates are closed once consumed, as in ReleasingSequentialBlock (why: its class comment)
        y.close();
        if (shortcut != null) s.close();
        if (!reluAfterSum) return new NDList(sum);
        NDArray out = Activation.relu(sum);
        sum.close();
        return new NDList(out);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        main.initialize(manager, dataType, inputShapes);
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return main.getOutputShapes(inputShapes);
    }
}
