package dev.semiactive.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.semiactive.SemiactiveException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A live network of a training run: its block, the manager holding its parameters, and its optimiser
 * (null for a network that is not trained by gradients, like an EMA teacher).
 */
public final class Network implements AutoCloseable {
    private final NetworkRole role;
    private final NDManager manager;
    private final Block block;
    private final SgdOptimizer optimizer;

    /** Builds the network with initialisation seed {@code Seeds.derive(runSeed, role.seed())}. */
    Network(NetworkRole role, long runSeed, NDManager parent, float momentum, float weightDecay) {
        this.role = role;
        this.manager = parent.newSubManager();
        this.block = role.factory().create(manager, Seeds.derive(runSeed, role.seed()));
        setRequiresGradient(role.trained());
        this.optimizer = role.trained() ? new SgdOptimizer(block, manager, momentum, weightDecay) : null;
    }

    /**
     * A network outside a {@link TrainingLoop}: for tests and tools that run a method's {@code start}/{@code step}
     * directly (e.g. to read gradients before the optimiser consumes them). Same construction as the loop's.
     */
    public static Network create(NetworkRole role, long runSeed, NDManager parent, float momentum, float weightDecay) {
        return new Network(role, runSeed, parent, momentum, weightDecay);
    }

    public String name() {
        return role.name();
    }

    public NetworkRole role() {
        return role;
    }

    public Block block() {
        return block;
    }

    /** Null when the network is not trained by gradients. */
    public SgdOptimizer optimizer() {
        return optimizer;
    }

    public boolean trained() {
        return role.trained();
    }

    /**
     * Forward pass with a parameter store in {@code stepManager}; returns [logits, F1, F2]. Inputs must
     * belong to {@code stepManager} so every output does too.
     */
    public NDList forward(NDManager stepManager, NDArray images, boolean training) {
        return forward(stepManager, new NDList(images), training);
    }

    /** As {@link #forward(NDManager, NDArray, boolean)} for a block with several inputs (the EMD's [F1, F2]). */
    public NDList forward(NDManager stepManager, NDList inputs, boolean training) {
        return block.forward(new ParameterStore(stepManager, false), inputs, training);
    }

    /** Copies every parameter (BatchNorm statistics included) from {@code source} in place: same architecture. */
    public void copyFrom(Network source) {
        List<Parameter> from = source.block.getParameters().values();
        List<Parameter> to = block.getParameters().values();
        if (from.size() != to.size())
            throw new IllegalArgumentException("copyFrom: " + source.name() + " and " + name() + " differ in architecture");
        for (int i = 0; i < to.size(); i++)
            to.get(i).getArray().set(from.get(i).getArray().toByteBuffer());
    }

    /**
     * Copies, in place, every parameter of {@code source} that this network has under the same name and with
     * the same shape (a pretext network's encoder and decoder into a segmentation network of another class
     * count); the others keep their values.
     *
     * @return the names of this network's parameters that were not copied (absent from the source or shaped otherwise)
     */
    public List<String> copyMatchingFrom(Network source) {
        java.util.Map<String, Parameter> from = new java.util.HashMap<>();
        for (Pair<String, Parameter> p : source.block.getParameters()) from.put(p.getKey(), p.getValue());
        List<String> kept = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter s = from.get(p.getKey());
            NDArray to = p.getValue().getArray();
            if (s == null || !s.getArray().getShape().equals(to.getShape()) || s.getArray().getDataType() != to.getDataType()) {
                kept.add(p.getKey());
                continue;
            }
            to.set(s.getArray().toByteBuffer());
        }
        return kept;
    }

    void saveParameters(DataOutputStream out) throws IOException {
        block.saveParameters(out);
    }

    /** Replaces the parameters with those in {@code in} (DJL format); the old arrays are freed. */
    void loadParameters(DataInputStream in, String source) throws IOException {
        List<NDArray> old = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) old.add(p.getValue().getArray());
        try {
            block.loadParameters(manager, in);
        } catch (MalformedModelException | IllegalArgumentException e) {
            throw new SemiactiveException(source + " does not fit network " + name() + ": " + e.getMessage()
                    + " (the checkpoint was made by another architecture or configuration)", e);
        }
        // optimiser/EMA keep referring to Parameter objects, which now hold the loaded arrays
        for (NDArray a : old) a.close();
        setRequiresGradient(role.trained());
    }

    private void setRequiresGradient(boolean trained) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            param.getArray().setRequiresGradient(trained && param.requiresGradient());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
