package dev.semiactive.train;

import dev.semiactive.SemiactiveException;
import dev.semiactive.eval.Evaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TrainingLoop.Builder#optInitialCheckpoint}: a new run starts from another run's parameters. */
class WarmStartTest {
    @Test
    void aNewRunStartsFromTheInitialCheckpointAndItsOwnCheckpointWinsOnResume(@TempDir Path dir) {
        SyntheticData.InMemory train = SyntheticData.scenes(8, 32, 1);
        SyntheticData.InMemory val = SyntheticData.scenes(4, 32, 2);
        Evaluator evaluator = Evaluator.builder().setNormalization(Normalization.defaults(3)).build();
        TrainingResult first = TrainingLoopTest.loop(dir.resolve("a"), TrainingLoopTest.supervised(TrainingLoopTest.NET, train, 4), 30)
                .optValidation(val, evaluator).optValidateEvery(30).build().run();
        Path a = Checkpoint.directory(dir.resolve("a"), Checkpoint.LATEST);

        // a vanishing learning rate and no momentum / decay: after one step the model is still run a's
        TrainingResult warm = TrainingLoopTest.loop(dir.resolve("b"), TrainingLoopTest.supervised(TrainingLoopTest.NET, train, 4), 1)
                .optLearningRate(1e-12).optMomentum(0f).optWeightDecay(0f).optValidation(val, evaluator).optValidateEvery(1)
                .optInitialCheckpoint(a).build().run();
        assertThat(warm.startStep()).isZero();
        assertThat(warm.resumed()).isFalse();
        assertThat(warm.lastValidation()).isEqualTo(first.lastValidation());

        // without the warm start the same one step is the seeded initialisation, far from run a
        TrainingResult cold = TrainingLoopTest.loop(dir.resolve("c"), TrainingLoopTest.supervised(TrainingLoopTest.NET, train, 4), 1)
                .optLearningRate(1e-12).optValidation(val, evaluator).optValidateEvery(1).build().run();
        assertThat(cold.lastValidation().meanIoU()).isLessThan(first.lastValidation().meanIoU());

        // on resume the run's own checkpoint wins: the initial checkpoint is not read (here: it does not exist)
        TrainingResult again = TrainingLoopTest.loop(dir.resolve("b"), TrainingLoopTest.supervised(TrainingLoopTest.NET, train, 4), 1)
                .optInitialCheckpoint(dir.resolve("missing")).build().run();
        assertThat(again.resumed()).isTrue();
        assertThatThrownBy(() -> TrainingLoopTest.loop(dir.resolve("d"), TrainingLoopTest.supervised(TrainingLoopTest.NET, train, 4), 1)
                .optInitialCheckpoint(dir.resolve("missing")).build().run())
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("is not a complete checkpoint");
    }
}
