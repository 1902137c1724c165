package dev.semiactive.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.loop.ActiveLearningLoop;
import dev.semiactive.loop.Experiment;
import dev.semiactive.loop.ExperimentReport;
import dev.semiactive.loop.LoopFixtures;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleReferenceTest {
    /** The loop's tiny experiment: 12 synthetic 32x32 images; an arm's rounds of 6 steps on 6.25%, 12.5% and 18.75% of the pool. */
    private static SemiactiveConfig tiny(Path out, String... overrides) {
        List<String> o = new java.util.ArrayList<>(List.of("al.strategy=random"));
        o.addAll(List.of(overrides));
        return LoopFixtures.tiny(out, o.toArray(String[]::new));
    }

    @Test
    void trainsEveryLabelInTheArmsRoundsAndResumesAfterTheLastRecordedRound(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("a");
        ScheduleReference.run(tiny(run));
        JsonNode rounds = Json.MAPPER.readTree(run.resolve(ExperimentReport.ROUNDS_JSON).toFile());
        assertThat(rounds.size()).isEqualTo(3);
        for (int r = 1; r <= 3; r++) {
            JsonNode m = rounds.get(Integer.toString(r));
            assertThat(m.get(ScheduleReference.SCHEDULE_PERCENT).asDouble()).isEqualTo(6.25 * r);
            assertThat(m.get("train_labelled_percent").asDouble()).isEqualTo(100.0);
            assertThat(m.get("train_steps").asLong()).isEqualTo(6L * r);
            assertThat(m.get("mIoU").asDouble()).isBetween(0.0, 1.0);
            assertThat(m.get("per_class_iou")).hasSize(3);
            // each round its own schedule of train.steps, warm-started from the round before
            Path ckpt = Checkpoint.locate(ActiveLearningLoop.checkpoint(run, r)).orElseThrow();
            assertThat(Checkpoint.readState(ckpt).step()).isEqualTo(6);
        }
        assertThat(Json.MAPPER.readTree(ActiveLearningLoop.roundDir(run, 2).resolve("manifest.json").toFile()).get("round").asInt()).isEqualTo(2);
        assertThat(Json.MAPPER.readTree(run.resolve(Experiment.FINISHED).toFile()).get("last_round").asInt()).isEqualTo(3);
        assertThat(Json.MAPPER.readTree(run.resolve("manifest.json").toFile()).get("round").asInt()).isEqualTo(3);
        assertThat(Files.readString(run.resolve(ExperimentReport.FILE))).contains("| 2 | 12.5 | 12 |");

        // killed after round 2 was recorded: round 3 alone runs again, rounds 1-2 are not touched, and on CPU the
        // seeded round 3 comes out the same
        Path round1 = Checkpoint.locate(ActiveLearningLoop.checkpoint(run, 1)).orElseThrow().resolve("student.params");
        FileTime before = Files.getLastModifiedTime(round1);
        ObjectNode cut = (ObjectNode) rounds.deepCopy();
        cut.remove("3");
        Json.writeAtomically(run.resolve(ExperimentReport.ROUNDS_JSON), cut);
        Files.delete(run.resolve(Experiment.FINISHED));
        Checkpoint.deleteRecursively(ActiveLearningLoop.roundDir(run, 3));
        ScheduleReference.run(tiny(run));
        JsonNode again = Json.MAPPER.readTree(run.resolve(ExperimentReport.ROUNDS_JSON).toFile());
        assertThat(again.at("/3/mIoU").asDouble()).isEqualTo(rounds.at("/3/mIoU").asDouble());
        assertThat(again.at("/3/per_class_iou")).isEqualTo(rounds.at("/3/per_class_iou"));
        assertThat(Files.getLastModifiedTime(round1)).isEqualTo(before);
        assertThat(run.resolve(Experiment.FINISHED)).isRegularFile();
    }

    @Test
    void refusesSettingsThatAreNotFullSupervision(@TempDir Path dir) {
        assertThatThrownBy(() -> ScheduleReference.run(tiny(dir.resolve("a"), "train.method=tsf")))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("set train.method=supervised");
        assertThatThrownBy(() -> ScheduleReference.run(tiny(dir.resolve("b"), "al.rounds=0")))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("al.rounds is 0");
        assertThat(dir.resolve("a")).doesNotExist();
    }
}
