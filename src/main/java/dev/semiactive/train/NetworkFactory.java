package dev.semiactive.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

/**
 * Builds one segmentation network (forward returns {@link dev.semiactive.model.SegmentationOutputs}),
 * initialised, with its parameters allocated in {@code manager}. At integration this is
 * {@code (m, seed) -> Networks.deeplab(spec)...}; tests use a tiny net. The seed makes two networks of the
 * same architecture differ (Student and Friend) and the same seed gives bitwise the same weights.
 */
@FunctionalInterface
public interface NetworkFactory {
    Block create(NDManager manager, long seed);
}
