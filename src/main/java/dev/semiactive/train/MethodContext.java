package dev.semiactive.train;

import ai.djl.ndarray.NDManager;

import java.util.Map;

/**
 * What a {@link TrainingMethod} gets at start.
 *
 * @param networks   live networks by name, as declared in {@link TrainingMethod#networks()}
 * @param manager    long-lived manager for the method's own state (closed after the run)
 * @param seed       run seed
 * @param startStep  first step to run (0, or the checkpoint's step on resume)
 * @param totalSteps steps of the whole run
 * @param resumed    true when networks were restored from a checkpoint
 * @param warmStarted true when the run started (or, resumed, had started) from another run's trained
 *                    networks, e.g. an active-learning round from the previous round
 */
public record MethodContext(Map<String, Network> networks, NDManager manager, long seed, long startStep,
                            long totalSteps, boolean resumed, boolean warmStarted) {
    public Network network(String name) {
        Network n = networks.get(name);
        if (n == null) throw new IllegalArgumentException("no network named " + name + " (have " + networks.keySet() + ")");
        return n;
    }
}
