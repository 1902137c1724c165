package dev.semiactive.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link SequentialBlock} that frees each child's output as soon as the next child has consumed it.
 *
 * <p>Why: DJL keeps every array an operation makes until its manager closes, so a forward pass of DJL's
 * sequential block holds every intermediate activation to the end of the step, where PyTorch frees each one
 * when its last reference goes. Closing the Java handle of an intermediate releases only that handle: a tensor
 * the autograd graph saved for backward stays alive in libtorch (the graph holds its own reference), so
 * training is unchanged; in inference (scoring, prediction, the Teacher) the memory is freed at once and the
 * allocator reuses it for the next layer. The block's input (the caller's) and its output are never closed,
 * nor is an array a child passes through unchanged.
 *
 * <p>Children added with {@link #add(Block)} are named as DJL's sequential block names them, with a nested
 * releasing block registered under DJL's class name ("SequentialBlock"), so parameter names, and with them
 * every checkpoint, are the same as with DJL's block.
 */
public class ReleasingSequentialBlock extends SequentialBlock {
    private static final String DJL_NAME = SequentialBlock.class.getSimpleName();

    @Override
    public ReleasingSequentialBlock add(Block block) {
        if (block != null) addChildBlock(block instanceof ReleasingSequentialBlock ? DJL_NAME : block.getClass().getSimpleName(), block);
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList current = inputs;
        for (Block child : getChildren().values()) {
            NDList next = child.forward(parameterStore, current, training);
            if (current != inputs) release(current, next);
            current = next;
        }
        return current;
    }

    /** Closes the arrays of {@code consumed} that are not also in {@code kept}. */
    static void release(NDList consumed, NDList kept) {
        for (NDArray a : consumed) {
            boolean passedOn = false;
            for (NDArray k : kept) {
                if (k == a) {
                    passedOn = true;
                    break;
                }
            }
            if (!passedOn) a.close();
        }
    }
}
