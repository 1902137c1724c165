package dev.semiactive.train;

import org.slf4j.Logger;

import java.util.List;
import java.util.Map;

/**
 * What one training step computes; the {@link TrainingLoop} owns everything else (step loop, gradient
 * collector, optimisers, LR schedule, logging, validation, checkpoints, resume).
 *
 * <p>Life cycle: {@link #networks()} is read once and the loop builds (or restores from a checkpoint) every
 * declared network; {@link #start} is called once before the first step with the live networks; then for
 * each step {@link #step} runs inside the one open gradient collector, the loop runs backward on the
 * returned loss and updates every trained network, and {@link #afterUpdate} runs with gradients off (EMA
 * teacher updates go there); {@link #close} at the end.
 *
 * <p>A new method (mean-teacher, CPS, TSF) implements this interface: declare its networks (e.g. student
 * and friend trained, teacher not), draw its batches from {@link BatchSampler}s created in {@link #start}
 * at {@link MethodContext#startStep()} (so resume continues the same batch stream), and return its loss
 * terms by name. Randomness comes from {@link StepContext#random()}, a function of (seed, step).
 */
public interface TrainingMethod extends AutoCloseable {
    /** Stable name recorded in checkpoints ("supervised", "tsf"...): resume refuses another method's checkpoint. */
    String name();

    /** The networks to build; trained ones get an optimiser. Called once. */
    List<NetworkRole> networks();

    /** The network validated during training and exported as the model ("student"; the teacher for TSF). */
    String evaluationNetwork();

    /**
     * Called once before the first step. {@link MethodContext#resumed()} tells whether the networks were
     * restored from a checkpoint (then do not re-initialise e.g. the teacher from the student).
     */
    void start(MethodContext context);

    /**
     * Computes the step's loss under the open gradient collector. Allocate everything in
     * {@link StepContext#manager()} (closed after the step).
     */
    StepOutput step(StepContext context);

    /** After the optimisers' update, with autograd off ({@link NoGrad}): EMA updates and the like. Default: nothing. */
    default void afterUpdate(StepContext context) {
    }

    /**
     * Called at each log step with the window's mean of every scalar the steps returned; the place for
     * health warnings ("TSF collapse"). Default: nothing.
     */
    default void onLog(long step, Map<String, Double> windowMeans, Logger log) {
    }

    /** Releases batch samplers and threads. */
    @Override
    void close();
}
