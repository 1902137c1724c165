package dev.semiactive.train;


import java.nio.file.Path;

/** Test fixtures of this package made available to the eval tests. */
public final class TrainingTestSupport {
    public static final NetworkFactory NET = TrainingLoopTest.NET;

    private TrainingTestSupport() {
    }

    /** Trains the tiny net on synthetic scenes for {@code steps} steps into {@code run}. */
    public static TrainingResult trainTiny(Path run, int steps) {
        return TrainingLoopTest.loop(run, TrainingLoopTest.supervised(NET, SyntheticData.scenes(8, 32, 1), 4), steps)
                .optLearningRate(0.1).build().run();
    }
}
