package dev.semiactive.plar;

/**
 * Squared Euclidean and squared Mahalanobis distances of a batch of feature vectors to every class of one
 * {@link ClassStatistics}: the inner loop of PLAR, behind an interface so that it can run in plain Java
 * ({@link ClassStatistics#batchDistances}) or as one matrix product in the engine ({@link GemmDistances}).
 * Outputs: index {@code b * numClasses + c}; +infinity for non-candidate classes. Not thread-safe.
 */
public interface BatchDistances extends AutoCloseable {
    /** The statistics the distances are to: a refiner checks they are its own. */
    ClassStatistics statistics();

    /** Most vectors one call may pass. */
    int capacity();

    /**
     * @param features      {@code count} vectors, row-major {@code count x d} (the array may be longer)
     * @param count         1..{@link #capacity()}
     * @param euclideanSq   out, at least {@code count * numClasses}
     * @param mahalanobisSq out, at least {@code count * numClasses}
     */
    void distances(double[] features, int count, double[] euclideanSq, double[] mahalanobisSq);

    /** Releases native memory, if any. */
    @Override
    default void close() {
    }
}
