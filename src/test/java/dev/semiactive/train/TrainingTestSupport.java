package dev.semiactive.train;


import java.nio.file.Path;

/** Test fixtures of this package made available to the eval tests. */
public final class TrainingTestSupport {
    public static final NetworkFactory NET = TrainingLoopTest.NET;

    private TrainingTestSupport() {
    }

    /** Resident memory outside the Java heap in kB (see {@link TrainingLoopTest#nonHeapResidentKb()}): native-leak probes. */
    public static long nonHeapResidentKb() {
        return TrainingLoopTest.nonHeapResidentKb();
    }

    /** {@code inner} with a hook run after each step's update, given the 0-based step (RSS probes, simulated crashes). */
    public static TrainingMethod probed(TrainingMethod inner, java.util.function.LongConsumer afterStep) {
        return new WrappedMethod(inner, afterStep);
    }

    /** Trains the tiny net on synthetic scenes for {@code steps} steps into {@code run}. */
    public static TrainingResult trainTiny(Path run, int steps) {
        return TrainingLoopTest.loop(run, TrainingLoopTest.supervised(NET, SyntheticData.scenes(8, 32, 1), 4), steps)
                .optLearningRate(0.1).build().run();
    }
}
