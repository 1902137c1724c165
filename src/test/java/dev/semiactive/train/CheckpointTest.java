package dev.semiactive.train;

import ai.djl.ndarray.NDManager;
import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointTest {
    private static TrainingState state(long step) {
        return new TrainingState(1, "supervised", step, 10, 7, null, -1, Map.of(), "now", null);
    }

    /** A provenance value whose serialisation fails: a write that breaks after the parameter files. */
    public static final class Exploding {
        public String getValue() {
            throw new IllegalStateException("disk full (simulated)");
        }
    }

    @Test
    void aFailedWriteLeavesThePreviousCheckpointIntact(@TempDir Path run) throws IOException {
        Path latest = Checkpoint.directory(run, Checkpoint.LATEST);
        try (NDManager m = NDManager.newBaseManager();
             Network first = new Network(new NetworkRole("student", TrainingLoopTest.NET, 1, true), 1, m, 0.9f, 0f);
             Network second = new Network(new NetworkRole("student", TrainingLoopTest.NET, 2, true), 1, m, 0.9f, 0f)) {
            TrainingState s1 = new TrainingState(1, "supervised", 1, 10, 7, null, -1,
                    Checkpoint.optimizerLayout(List.of(first)), "now", null);
            Checkpoint.write(latest, List.of(first), s1, TrainingLoopTest.card());
            byte[] params = Files.readAllBytes(Checkpoint.parametersFile(latest, "student"));

            ModelCard broken = TrainingLoopTest.card().withProvenance(Map.of("bad", new Exploding()));
            assertThatThrownBy(() -> Checkpoint.write(latest, List.of(second), state(2), broken))
                    .isInstanceOf(SemiactiveException.class).hasMessageContaining("cannot write checkpoint");

            assertThat(Checkpoint.readState(latest).step()).isEqualTo(1);
            assertThat(Files.readAllBytes(Checkpoint.parametersFile(latest, "student"))).isEqualTo(params);
            try (Stream<Path> s = Files.list(latest.getParent())) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("latest");
            }
            // and the surviving checkpoint restores
            Checkpoint.restore(latest, Map.of("student", second));
            assertThat(second.block().getParameters().get(0).getValue().getArray().toFloatArray())
                    .containsExactly(first.block().getParameters().get(0).getValue().getArray().toFloatArray());
        }
    }

    @Test
    void aCheckpointRenamedAsideByACrashIsRecovered(@TempDir Path run) throws IOException {
        Path latest = Checkpoint.directory(run, Checkpoint.LATEST);
        try (NDManager m = NDManager.newBaseManager();
             Network net = new Network(new NetworkRole("student", TrainingLoopTest.NET, 1, false), 1, m, 0f, 0f)) {
            Checkpoint.write(latest, List.of(net), state(3), TrainingLoopTest.card());
        }
        // crash between "rename old aside" and "rename new into place", with a half-written temp beside it
        Files.move(latest, latest.resolveSibling("latest.old-1234abcd"));
        Files.createDirectories(latest.resolveSibling("latest.tmp-999"));
        assertThat(Checkpoint.locate(latest)).contains(latest);
        assertThat(Checkpoint.readState(latest).step()).isEqualTo(3);
        assertThat(Checkpoint.locate(run.resolve("checkpoints/best"))).isEmpty();
    }
}
