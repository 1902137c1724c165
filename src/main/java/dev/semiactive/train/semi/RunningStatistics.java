package dev.semiactive.train.semi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.semiactive.train.NoGrad;

import java.util.ArrayList;
import java.util.List;

/**
 * The BatchNorm running statistics of a network at one moment, to be put back after a training-mode forward
 * that must not move them.
 *
 * <p>Why: a training-mode forward normalises with its batch's statistics and also folds them into the running
 * mean and variance that every inference-mode forward (the Teacher's pseudo-labels, validation, pool scoring)
 * normalises with. The strong view (colour jitter, blur, CutMix) has other statistics than the images the
 * network is used on, so letting it update them shifts every inference forward off its training distribution;
 * AdvProp (Xie et al. 2020) keeps distorted inputs out of the main BatchNorm for the same reason.
 *
 * <p>The snapshot is restored after the backward pass, not right after the forward: libtorch's BatchNorm
 * saves the running statistics for its backward, and writing them in between fails the autograd version
 * check. The copies live in a scope of their own, closed on {@link #restore()} or {@link #close()}.
 */
final class RunningStatistics implements AutoCloseable {
    private final List<NDArray> running;
    private final List<NDArray> saved;
    private final NDManager scope;

    private RunningStatistics(List<NDArray> running, List<NDArray> saved, NDManager scope) {
        this.running = running;
        this.saved = saved;
        this.scope = scope;
    }

    /** Copies every running mean and variance of {@code block} (none: an empty snapshot). */
    static RunningStatistics snapshot(Block block) {
        List<NDArray> running = new ArrayList<>();
        for (Parameter p : block.getParameters().values())
            if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR)
                running.add(p.getArray());
        if (running.isEmpty()) return new RunningStatistics(running, List.of(), null);
        NDManager scope = running.get(0).getManager().newSubManager();
        List<NDArray> saved = new ArrayList<>(running.size());
        NoGrad.run(() -> {
            for (NDArray a : running) {
                NDArray copy = a.duplicate();
                copy.attach(scope);
                saved.add(copy);
            }
        });
        return new RunningStatistics(running, saved, scope);
    }

    /** Writes the saved values back into the network's running statistics (autograd off) and frees the copies. */
    void restore() {
        NoGrad.run(() -> {
            for (int i = 0; i < saved.size(); i++) running.get(i).set(saved.get(i).toByteBuffer());
        });
        close();
    }

    @Override
    public void close() {
        if (scope != null) scope.close();
    }
}
