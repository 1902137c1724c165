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
            // and it did train on the whole pool, masks and all: the round's manifest hashes the full training split
            assertThat(dev.semiactive.train.RunManifest.read(ActiveLearningLoop.roundDir(run, r)).datasetHash())
                    .isEqualTo(dev.semiactive.train.RunManifest.hashDataset(dev.semiactive.pipeline.Components.open(
                            tiny(run).data(), tiny(run).data().trainSplit(), 7, true)));
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
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("al.rounds is 0").hasMessageEndingWith("set al.rounds >= 1 or remove it");
        assertThatThrownBy(() -> ScheduleReference.run(tiny(dir.resolve("c"), "data.val_split=null")))
                .isInstanceOf(SemiactiveException.class).hasMessageEndingWith("data.val_split, which is not set: set data.val_split");
        assertThatThrownBy(() -> ScheduleReference.run(tiny(dir.resolve("d"), "data.label_fraction=0.5")))
                .isInstanceOf(SemiactiveException.class).hasMessageStartingWith("data.label_fraction is 0.5")
                .hasMessageEndingWith("remove data.label_fraction");
        // refused before anything is written
        for (String d : List.of("a", "b", "c", "d")) assertThat(dir.resolve(d)).doesNotExist();
    }

    @Test
    void aRecordedRoundWithoutItsModelIsRefusedWithTheFix(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("a");
        ScheduleReference.run(tiny(run));
        // killed after round 2 was recorded, and round 2's model lost: round 3 cannot warm-start from it
        JsonNode rounds = Json.MAPPER.readTree(run.resolve(ExperimentReport.ROUNDS_JSON).toFile());
        ObjectNode cut = (ObjectNode) rounds.deepCopy();
        cut.remove("3");
        Json.writeAtomically(run.resolve(ExperimentReport.ROUNDS_JSON), cut);
        Files.delete(run.resolve(Experiment.FINISHED));
        Checkpoint.deleteRecursively(ActiveLearningLoop.roundDir(run, 3));
        Checkpoint.deleteRecursively(ActiveLearningLoop.roundDir(run, 2).resolve("checkpoints"));
        assertThatThrownBy(() -> ScheduleReference.run(tiny(run))).isInstanceOf(SemiactiveException.class)
                .hasMessageStartingWith(run + " has round 2 recorded but no model at ")
                .hasMessageEndingWith(": delete " + run + " to run the reference again");
        // nothing recorded is lost
        assertThat(Json.MAPPER.readTree(run.resolve(ExperimentReport.ROUNDS_JSON).toFile())).isEqualTo(cut);
    }
}
