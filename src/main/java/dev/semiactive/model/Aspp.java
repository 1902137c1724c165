package dev.semiactive.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

import static dev.semiactive.model.ActivationLayer.Kind.RELU;

/**
 * Atrous spatial pyramid pooling: a 1x1 branch, one 3x3 branch per dilation rate, and an image-pooling
 * branch (global average -> 1x1 conv -> BN -> ReLU -> bilinear back to the input size), concatenated
 * and projected by 1x1 conv -> BN -> ReLU. Every branch and the projection have {@code channels}
 * outputs. The output is F1.
 *
 * <p>Like torchvision's ASPPPooling, the pooling branch's BatchNorm sees one value per channel and
 * image, so a training forward needs a batch of at least 2 (checked, with a message saying so).
 */
public final class Aspp extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int channels;
    private final List<Block> branches = new ArrayList<>();
    private final Block pooling;
    private final Block projection;

    /**
     * @param channels output channels of each branch and of the projection (256 in DeepLabv3+)
     * @param rates dilation rates of the 3x3 branches (6, 12, 18 at output stride 16)
     */
    public Aspp(int channels, int... rates) {
        super(VERSION);
        this.channels = channels;
        branches.add(addChildBlock("conv1x1", Layers.convBnAct(channels, 1, 1, 1, 1, RELU)));
        for (int rate : rates) {
            branches.add(addChildBlock("atrous" + rate, Layers.convBnAct(channels, 3, 1, rate, 1, RELU)));
        }
        pooling = addChildBlock("pooling", Layers.convBnAct(channels, 1, 1, 1, 1, RELU));
        projection = addChildBlock("projection", Layers.convBnAct(channels, 1, 1, 1, 1, RELU));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        if (training && shape.get(0) < 2) {
            // libtorch would fail with "Expected more than 1 value per channel when training"
            throw new IllegalArgumentException("a training forward of DeepLabv3+ needs a batch of at least 2 "
                    + "images (the ASPP image-pooling BatchNorm sees one value per image), got 1: use batch "
                    + "size >= 2, or training=false");
        }
        NDList outputs = new NDList(branches.size() + 1);
        for (Block branch : branches) {
            outputs.add(branch.forward(parameterStore, inputs, training, params).singletonOrThrow());
        }
        // mean over W then H keeps (N, C, 1, 1); PtNDArray.mean takes one axis at a time
        NDArray pooled = x.mean(new int[] {3}, true).mean(new int[] {2}, true);
        NDArray image = pooling.forward(parameterStore, new NDList(pooled), training, params).singletonOrThrow();
        outputs.add(NdOps.resizeBilinear(image, (int) shape.get(2), (int) shape.get(3), false));
        NDArray concat = NDArrays.concat(outputs, 1);
        return projection.forward(parameterStore, new NDList(concat), training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        for (Block branch : branches) {
            branch.initialize(manager, dataType, in);
        }
        pooling.initialize(manager, dataType, new Shape(in.get(0), in.get(1), 1, 1));
        projection.initialize(manager, dataType,
                new Shape(in.get(0), (long) channels * (branches.size() + 1), in.get(2), in.get(3)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), channels, in.get(2), in.get(3))};
    }
}
