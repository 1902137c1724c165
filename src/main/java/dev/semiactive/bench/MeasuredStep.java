package dev.semiactive.bench;

import ai.djl.ndarray.NDManager;

import java.util.Map;

/** One benchmarked unit of work; {@link ModeRunner} times it, each call in its own step manager. */
public interface MeasuredStep extends AutoCloseable {
    /**
     * Runs one step. Every array it makes belongs to {@code step}, which the caller closes afterwards.
     *
     * @return a scalar that proves the work was done (the loss, the mean entropy)
     */
    float run(NDManager step);

    /** Images one call processes. */
    int images();

    /** Parameters of the network the step is about (the Student; the Teacher for scoring). */
    long parameters();

    /** Extra numbers for the result (e.g. the flagged fraction of scoring). */
    default Map<String, Object> extras() {
        return Map.of();
    }

    @Override
    default void close() {
    }
}
