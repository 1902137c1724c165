package dev.semiactive.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semiactive.SemiactiveException;
import dev.semiactive.config.ConfigException;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.loop.ActiveLearningLoop;
import dev.semiactive.loop.Experiment;
import dev.semiactive.loop.ExperimentReport;
import dev.semiactive.loop.LabelledPool;
import dev.semiactive.loop.LoopFixtures;
import dev.semiactive.pipeline.Components;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.RunManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LastRoundRetrainingTest {
    /** The loop's tiny experiment (seed 7): 12 synthetic 32x32 images, rounds of 6 steps on 6.25%, 12.5% and 18.75% of the pool. */
    private static SemiactiveConfig tiny(Path out, String... overrides) {
        return LoopFixtures.tiny(out, overrides);
    }

    private static JsonNode json(Path file) throws Exception {
        return Json.MAPPER.readTree(file.toFile());
    }

    @Test
    void theLastRoundTrainsAgainFromTheSameStartAndLabelsUnderAnotherSeedAndLeavesTheArmAsItWas(@TempDir Path dir) throws Exception {
        SemiactiveConfig c = tiny(dir.resolve("entropy-s7"));
        Path arm = c.run().resolvedOutputDir();
        Experiment.builder().setConfig(c).build().run();
        assertThat(LastRoundRetraining.retrainedRound(arm)).isEqualTo(3);
        JsonNode own = json(arm.resolve(ExperimentReport.ROUNDS_JSON)).get("3");
        byte[] rounds = Files.readAllBytes(arm.resolve(ExperimentReport.ROUNDS_JSON));
        Path ownModel = Checkpoint.locate(ActiveLearningLoop.checkpoint(arm, 3)).orElseThrow();
        FileTime ownTime = Files.getLastModifiedTime(ownModel.resolve("student.params"));

        // the shared step is the experiment's own round: under the arm's seed, into another folder, it comes out the same on CPU
        Path again = dir.resolve("same-seed");
        var data = c.data();
        SegmentationDataset pool = Components.open(data, data.trainSplit(), 7, true);
        SegmentationDataset val = Components.open(data, data.valSplit(), 7, true);
        try (ProjectStore store = ProjectStore.open(arm.resolve(Experiment.STORE))) {
            var result = ActiveLearningLoop.trainRound(c, new LabelledPool(pool, store), val, arm, 3, again);
            assertThat(ActiveLearningLoop.finalValidation(result, 6).map(ActiveLearningLoop::metrics).orElseThrow().get("mIoU"))
                    .isEqualTo(own.get("mIoU").asDouble());
        }
        assertThat(Checkpoint.hashParameters(Checkpoint.locate(Checkpoint.directory(again, Checkpoint.LATEST)).orElseThrow()))
                .isEqualTo(Checkpoint.hashParameters(ownModel));

        // under training seed 8: the same labels and start, another training
        assertThat(LastRoundRetraining.read(arm, 8)).isEmpty();
        LastRoundRetraining.run(ComparisonArm.ENTROPY, c, 8);
        Path out = LastRoundRetraining.runDir(arm, 3, 8);
        assertThat(out).isEqualTo(arm.resolve("retrain").resolve("round-03-t8"));
        JsonNode figures = json(out.resolve(LastRoundRetraining.FILE));
        assertThat(figures.get("round").asInt()).isEqualTo(3);
        assertThat(figures.get("arm_seed").asLong()).isEqualTo(7);
        assertThat(figures.get("training_seed").asLong()).isEqualTo(8);
        assertThat(figures.get("mIoU").asDouble()).isBetween(0.0, 1.0);
        assertThat(figures.get("per_class_iou")).hasSize(3);
        RunManifest manifest = RunManifest.read(out);
        assertThat(manifest.seed()).isEqualTo(8);
        assertThat(manifest.round()).isEqualTo(3);
        assertThat(manifest.labelSetHash()).isEqualTo(figures.get("label_set_hash").asText())
                .isEqualTo(RunManifest.read(ActiveLearningLoop.roundDir(arm, 3)).labelSetHash());
        Path model = Checkpoint.locate(Checkpoint.directory(out, Checkpoint.LATEST)).orElseThrow();
        assertThat(Checkpoint.readState(model).step()).isEqualTo(6);
        assertThat(Checkpoint.hashParameters(model)).isNotEqualTo(Checkpoint.hashParameters(ownModel));
        assertThat(LastRoundRetraining.read(arm, 8).orElseThrow().get("mIoU").asDouble()).isEqualTo(figures.get("mIoU").asDouble());
        // the arm is only read
        assertThat(Files.readAllBytes(arm.resolve(ExperimentReport.ROUNDS_JSON))).isEqualTo(rounds);
        assertThat(Files.getLastModifiedTime(ownModel.resolve("student.params"))).isEqualTo(ownTime);

        // done is done: a second call trains nothing
        FileTime done = Files.getLastModifiedTime(out.resolve(LastRoundRetraining.FILE));
        LastRoundRetraining.run(ComparisonArm.ENTROPY, c, 8);
        assertThat(Files.getLastModifiedTime(out.resolve(LastRoundRetraining.FILE))).isEqualTo(done);

        // the arm's own seed is its own figure already
        assertThatThrownBy(() -> LastRoundRetraining.run(ComparisonArm.ENTROPY, c, 7)).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("own seed").hasMessageContaining("pick another seed");
    }

    @Test
    void changedSettingsOfTheRoundsTrainingGetTheirOwnFolderAndMayKeepTheArmsSeed(@TempDir Path dir) throws Exception {
        SemiactiveConfig c = tiny(dir.resolve("entropy-s7"));
        Path arm = c.run().resolvedOutputDir();
        Experiment.builder().setConfig(c).build().run();
        List<String> longer = List.of(" train.steps = 9 ");
        // the arm's own seed: the same batches, a longer round
        LastRoundRetraining.run(ComparisonArm.ENTROPY, c, 7, longer);
        Path out = LastRoundRetraining.runDir(arm, 3, 7, List.of("train.steps=9"));
        assertThat(LastRoundRetraining.runDir(arm, 3, 7, longer)).isEqualTo(out);
        assertThat(out.getFileName().toString()).matches("round-03-t7-[0-9a-f]{8}");
        assertThat(LastRoundRetraining.runDir(arm, 3, 7, List.of("train.steps=10"))).isNotEqualTo(out);
        // the same settings in another order are the same training: one folder, the settings recorded sorted by key
        List<String> two = List.of("train.steps=9", "augment.flip=false");
        assertThat(LastRoundRetraining.runDir(arm, 3, 7, two)).isEqualTo(LastRoundRetraining.runDir(arm, 3, 7, List.of("augment.flip=false", "train.steps=9")))
                .isNotEqualTo(out);
        assertThat(new LastRoundRetraining.Plan(List.of(1L), two).settings()).containsExactly("augment.flip=false", "train.steps=9");
        assertThatThrownBy(() -> LastRoundRetraining.runDir(arm, 3, 7, List.of("train.steps=9", "train.steps = 10")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--retrain-set train.steps is given twice (train.steps=9, train.steps=10): give each setting once");
        JsonNode figures = json(out.resolve(LastRoundRetraining.FILE));
        assertThat(figures.get("settings")).hasSize(1);
        assertThat(figures.get("settings").get(0).asText()).isEqualTo("train.steps=9");
        assertThat(Checkpoint.readState(Checkpoint.locate(Checkpoint.directory(out, Checkpoint.LATEST)).orElseThrow()).step()).isEqualTo(9);
        assertThat(RunManifest.read(out).config().at("/train/steps").asInt()).isEqualTo(9);
        assertThat(RunManifest.read(out).labelSetHash()).isEqualTo(RunManifest.read(ActiveLearningLoop.roundDir(arm, 3)).labelSetHash());
        assertThat(LastRoundRetraining.read(arm, 7, List.of("train.steps=9"))).isPresent();
        assertThat(LastRoundRetraining.read(arm, 7)).isEmpty();

        for (String bad : List.of("al.budget=0.5", "train.method=tsf", "train.steps", "run.seed=3", "model.width=0.5"))
            assertThatThrownBy(() -> LastRoundRetraining.run(ComparisonArm.ENTROPY, c, 8, List.of(bad))).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("--retrain-set '" + bad + "': a retraining changes only the round's training")
                    .hasMessageContaining("e.g. train.steps=500");
        assertThatThrownBy(() -> LastRoundRetraining.run(ComparisonArm.ENTROPY, c, 8, List.of("train.steps=-1")))
                .isInstanceOf(ConfigException.class).hasMessage("--retrain-set train.steps=-1: train.steps = -1 is invalid: must be an integer >= 1");
    }

    @Test
    void roundStreamsGiveEachRoundItsOwnStreamsAndARetrainingUnderTheArmsSeedNoReplay(@TempDir Path dir) throws Exception {
        // an arm under train.round_streams: round r trains under a seed derived from (run.seed, r), recorded in its manifest
        SemiactiveConfig streams = tiny(dir.resolve("streams-s7"), "train.round_streams=true");
        Experiment.builder().setConfig(streams).build().run();
        java.util.Set<Long> seeds = new java.util.HashSet<>();
        for (int r = 1; r <= 3; r++) {
            long seed = RunManifest.read(ActiveLearningLoop.roundDir(streams.run().resolvedOutputDir(), r)).seed();
            assertThat(seed).isEqualTo(dev.semiactive.train.Seeds.derive(7, 0x52D5, r)).isNotEqualTo(7L);
            seeds.add(seed);
        }
        assertThat(seeds).hasSize(3);
        // an arm trained without it: its last round under its own seed, without the replay of rounds 1-2's streams
        SemiactiveConfig c = tiny(dir.resolve("entropy-s7"));
        Path arm = c.run().resolvedOutputDir();
        Experiment.builder().setConfig(c).build().run();
        assertThat(RunManifest.read(ActiveLearningLoop.roundDir(arm, 3)).seed()).isEqualTo(7L);
        LastRoundRetraining.run(ComparisonArm.ENTROPY, c, 7, List.of("train.round_streams=true"));
        Path out = LastRoundRetraining.runDir(arm, 3, 7, List.of("train.round_streams=true"));
        assertThat(RunManifest.read(out).seed()).isEqualTo(dev.semiactive.train.Seeds.derive(7, 0x52D5, 3));
        assertThat(Checkpoint.hashParameters(Checkpoint.locate(Checkpoint.directory(out, Checkpoint.LATEST)).orElseThrow()))
                .isNotEqualTo(Checkpoint.hashParameters(Checkpoint.locate(ActiveLearningLoop.checkpoint(arm, 3)).orElseThrow()));
    }

    @Test
    void theFullScheduleReferenceRetrainsItsLastRoundOnEveryLabel(@TempDir Path dir) throws Exception {
        SemiactiveConfig c = tiny(dir.resolve("full-schedule-s7"), "al.strategy=random");
        Path arm = c.run().resolvedOutputDir();
        ScheduleReference.run(c);
        LastRoundRetraining.run(ComparisonArm.FULL_SCHEDULE, c, 1007);
        Path out = LastRoundRetraining.runDir(arm, 3, 1007);
        JsonNode figures = json(out.resolve(LastRoundRetraining.FILE));
        assertThat(figures.get("training_seed").asLong()).isEqualTo(1007);
        assertThat(figures.get("label_set_hash").asText()).isEqualTo(RunManifest.read(ActiveLearningLoop.roundDir(arm, 3)).labelSetHash());
        assertThat(RunManifest.read(out).seed()).isEqualTo(1007);
        assertThat(Checkpoint.hashParameters(Checkpoint.locate(Checkpoint.directory(out, Checkpoint.LATEST)).orElseThrow()))
                .isNotEqualTo(Checkpoint.hashParameters(Checkpoint.locate(ActiveLearningLoop.checkpoint(arm, 3)).orElseThrow()));
    }

    @Test
    void whatCannotBeRetrainedIsNamedWithItsFix(@TempDir Path dir) throws Exception {
        SemiactiveConfig unfinished = tiny(dir.resolve("never-ran"));
        assertThatThrownBy(() -> LastRoundRetraining.run(ComparisonArm.ENTROPY, unfinished, 8)).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("is not finished").hasMessageContaining("finish the arm");

        SemiactiveConfig c = tiny(dir.resolve("entropy-s7"));
        Path arm = c.run().resolvedOutputDir();
        Experiment.builder().setConfig(c).build().run();

        // a kept copy: the small files only
        Path kept = dir.resolve("kept").resolve("entropy-s7");
        Files.createDirectories(kept);
        for (String f : Comparison.KEPT_ARM_FILES)
            if (Files.isRegularFile(arm.resolve(f))) Files.copy(arm.resolve(f), kept.resolve(f));
        assertThatThrownBy(() -> LastRoundRetraining.run(ComparisonArm.ENTROPY, c.withOutputDir(kept), 8))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("has no project.db").hasMessageContaining("where the arm ran");

        // the labels the store holds are no longer those the round trained on
        Path roundManifest = ActiveLearningLoop.roundDir(arm, 3).resolve(RunManifest.FILE);
        byte[] original = Files.readAllBytes(roundManifest);
        ObjectNode m = (ObjectNode) json(roundManifest);
        m.put("labelSetHash", "0000000000000000");
        Json.writeAtomically(roundManifest, m);
        assertThatThrownBy(() -> LastRoundRetraining.run(ComparisonArm.ENTROPY, c, 8)).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("trained on 0000000000000000").hasMessageContaining("store changed since");
        assertThat(LastRoundRetraining.runDir(arm, 3, 8)).doesNotExist();
        Files.write(roundManifest, original);

        // the round's manifest is gone: what it trained on cannot be checked
        Path moved = dir.resolve("manifest-aside.json");
        Files.move(roundManifest, moved);
        assertThatThrownBy(() -> LastRoundRetraining.run(ComparisonArm.ENTROPY, c, 8)).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining(roundManifest.toString()).hasMessageContaining("cannot be checked");
        Files.move(moved, roundManifest);

        // the start is missing: never a silent fresh start
        Checkpoint.deleteRecursively(ActiveLearningLoop.roundDir(arm, 2));
        assertThatThrownBy(() -> LastRoundRetraining.run(ComparisonArm.ENTROPY, c, 8)).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("round 2's model is missing");
        assertThat(LastRoundRetraining.read(arm, 8)).isEmpty();
    }

    @Test
    void theRoundRetrainedIsTheOneTheTableShowsAtTheArmsHighestBudget(@TempDir Path dir) throws Exception {
        // an experiment from before 2026-12-03: a round 4 that topped up a few pixels after round 3 reached the budget
        Path arm = dir.resolve("arm");
        Json.writeAtomically(arm.resolve(Experiment.FINISHED), Map.of("last_round", 4, "finished_at", "2026-12-02T10:00:00Z"));
        Json.writeAtomically(arm.resolve(ExperimentReport.ROUNDS_JSON), Map.of(
                "2", Map.of("train_labelled_percent", 2.0, "mIoU", 0.3),
                "3", Map.of("train_labelled_percent", 3.0, "mIoU", 0.35),
                "4", Map.of("train_labelled_percent", 3.013, "mIoU", 0.36)));
        assertThat(LastRoundRetraining.retrainedRound(arm)).isEqualTo(3);
        // a retraining belongs to the run of the arm it was made for
        Path file = LastRoundRetraining.runDir(arm, 3, 9).resolve(LastRoundRetraining.FILE);
        Json.writeAtomically(file, Map.of("round", 3, "mIoU", 0.33, "arm_finished_at", "2026-12-02T10:00:00Z"));
        assertThat(LastRoundRetraining.read(arm, 9)).isPresent();
        Json.writeAtomically(arm.resolve(Experiment.FINISHED), Map.of("last_round", 4, "finished_at", "2026-12-05T10:00:00Z"));
        assertThat(LastRoundRetraining.read(arm, 9)).isEmpty();
        Json.writeAtomically(arm.resolve(Experiment.FINISHED), Map.of("last_round", 4));
        assertThat(LastRoundRetraining.read(arm, 9)).isEmpty();
    }

    @Test
    void aRetrainingThatCannotBeReadSaysHowToRedoIt(@TempDir Path dir) throws Exception {
        Path arm = dir.resolve("arm");
        Json.writeAtomically(arm.resolve(Experiment.FINISHED), Map.of("last_round", 2));
        Json.writeAtomically(arm.resolve(ExperimentReport.ROUNDS_JSON), Map.of("2", Map.of("train_labelled_percent", 2.0, "mIoU", 0.3)));
        Path file = LastRoundRetraining.runDir(arm, 2, 9).resolve(LastRoundRetraining.FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"round\": 2}");
        assertThatThrownBy(() -> LastRoundRetraining.read(arm, 9)).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("needs the mIoU of round 2").hasMessageContaining("delete it");
    }
}
