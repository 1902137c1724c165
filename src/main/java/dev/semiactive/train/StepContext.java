package dev.semiactive.train;

import ai.djl.ndarray.NDManager;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * One training step as a {@link TrainingMethod} sees it.
 *
 * @param step          0-based index of this step
 * @param totalSteps    steps of the whole run
 * @param learningRate  learning rate of this step's update
 * @param manager       the step's manager: everything allocated here is freed when the step ends
 * @param networks      live networks by name
 * @param random        randomness of this step: a pure function of (seed, step), so resume repeats it
 */
public record StepContext(long step, long totalSteps, double learningRate, NDManager manager,
                          Map<String, Network> networks, SplittableRandom random) {
    public Network network(String name) {
        Network n = networks.get(name);
        if (n == null) throw new IllegalArgumentException("no network named " + name + " (have " + networks.keySet() + ")");
        return n;
    }
}
