package dev.semiactive.train;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * The result of {@link TrainingMethod#step}.
 *
 * @param loss    scalar to run backward on (in the step's manager)
 * @param scalars named values to log: each loss term ("sup", "cps", "ts"...) and health signals
 *                ("reliable_ratio"...); scalar NDArrays, read after backward
 * @param images  images processed this step (labelled + unlabelled), for throughput
 */
public record StepOutput(NDArray loss, Map<String, NDArray> scalars, int images) {
    public StepOutput {
        scalars = Map.copyOf(scalars);
    }
}
