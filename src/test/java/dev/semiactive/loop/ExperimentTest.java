package dev.semiactive.loop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.eval.ConfusionMatrix;
import dev.semiactive.pipeline.Components;
import dev.semiactive.train.Checkpoint;
import dev.semiactive.train.Json;
import dev.semiactive.train.TrainingResult;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.QueryRecord;
import dev.semiactive.store.RoundPhase;
import dev.semiactive.store.RoundRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ExperimentTest {
    @Test
    void runsRoundsUntilTheBudgetIsSpentAndReports(@TempDir Path dir) throws Exception {
        // with a random share, class-balanced and impurity-weighted scoring and diverse thinning, run end to end (diverse
        // thinning fails without the pooled region features the scoring pass must then add)
        SemiactiveConfig config = LoopFixtures.tiny(dir.resolve("run"), "al.random_share=0.25", "al.class_balance=0.5", "al.diversity=3",
                "al.impurity=1");
        // the config's settings are the strategy's (class weights come per round, from the labels: class_weights below)
        var options = ActiveLearningLoop.strategyOptions(config.al(), 7);
        assertThat(options.randomShare()).isEqualTo(0.25);
        assertThat(options.diversity()).isEqualTo(3);
        assertThat(options.impurity()).isEqualTo(1);
        Experiment.Result result = Experiment.builder().setConfig(config).build().run();
        Path run = result.runDir();
        SegmentationDataset validation = Components.open(config.data(), config.data().valSplit(), config.run().seed(), true);
        try (ProjectStore store = ProjectStore.open(run.resolve(Experiment.STORE))) {
            List<RoundRecord> rounds = store.rounds();
            assertThat(rounds).allMatch(r -> r.phase() == RoundPhase.DONE);
            // 12 x 32 x 32 px pool, 8x8 cells: 12 regions (6.25%) in round 0 and per round, budget 36 regions: rounds
            // 0..2 select, round 3 finds the budget spent, trains on everything and evaluates
            assertThat(rounds).hasSize(4);
            assertThat(store.queries(3)).isEmpty();
            assertThat(store.labelStats().pixels()).isEqualTo((long) Math.floor(0.1875 * store.poolPixels()));
            assertThat(store.labelStats().regions()).isEqualTo(36);
            Set<String> seen = new HashSet<>();
            for (RoundRecord r : rounds)
                for (QueryRecord q : store.queries(r.round())) assertThat(seen.add(q.regionId())).as("asked twice: %s", q.regionId()).isTrue();
            for (int r = 1; r < rounds.size(); r++) {
                var m = store.metrics(r);
                assertThat(m.get("mIoU").asDouble()).isBetween(0.0, 1.0);
                assertThat(m.get("per_class_iou")).hasSize(3);
                // rounds 0..r-1 labelled 12 regions of 64 px each (768 of the pool's 12 288 pixels a round)
                assertThat(m.get("train_labelled_percent").asDouble()).isCloseTo(6.25 * r, org.assertj.core.data.Offset.offset(1e-9));
                // the images round r trained on: those with a label of rounds 0..r-1, never fewer than the round before's
                assertThat(m.get("train_labelled_images").asLong()).isEqualTo(store.labelStats(r - 1).imagesTouched()).isBetween(1L, 12L);
                assertThat(m).containsKeys("error_flagged_fraction", "plar_refined_fraction", "plar_accuracy", "scored_images");
                assertThat(m.get("scored_images").asLong()).isEqualTo(12);
                assertThat(m.get("round_class_pixels")).hasSize(4); // 3 classes and void
                assertThat(m.get("round_class_pixels").has("void")).isTrue();
                long roundPixels = 0;
                for (JsonNode n : m.get("round_class_pixels")) roundPixels += n.asLong();
                assertThat(roundPixels).isEqualTo(m.get("round_pixels").asLong());
                // the class weights the round scored with: from what the rounds before it labelled, void left out
                long[] before = new long[3];
                for (int q = 0; q < r; q++) {
                    JsonNode earlier = store.metrics(q).get("round_class_pixels");
                    for (int c = 0; c < 3; c++) before[c] += earlier.get(names(earlier).get(c)).asLong();
                }
                double[] expected = dev.semiactive.al.ClassBalance.weights(before, 0.5);
                List<String> classes = names(m.get(ActiveLearningLoop.CLASS_WEIGHTS));
                assertThat(classes).hasSize(3).isEqualTo(names(m.get("round_class_pixels")).subList(0, 3));
                for (int c = 0; c < 3; c++)
                    assertThat(m.get(ActiveLearningLoop.CLASS_WEIGHTS).get(classes.get(c)).asDouble()).isCloseTo(expected[c], org.assertj.core.data.Offset.offset(1e-12));
                assertThat(Files.isRegularFile(ActiveLearningLoop.checkpoint(run, r).resolve("student.params"))).isTrue();
                // the round's figures are the training's last-step validation, reused: the same as validating its
                // checkpoint afresh, to the last digit
                var fresh = ActiveLearningLoop.validate(Checkpoint.locate(ActiveLearningLoop.checkpoint(run, r)).orElseThrow(),
                        validation, config.train().batchSize());
                assertThat(m.get("mIoU").asDouble()).isEqualTo((Double) fresh.get("mIoU"));
                assertThat(m.get("pixel_accuracy").asDouble()).isEqualTo((Double) fresh.get("pixel_accuracy"));
                assertThat(Json.MAPPER.convertValue(m.get("per_class_iou"), List.class)).isEqualTo(fresh.get("per_class_iou"));
            }
            // a baseline (entropy + supervised) scores the pool but runs no PLAR: nothing refined, nothing undecided
            assertThat(store.plarTotals(1)).containsExactly(12, 0, 0);
        }
        String report = Files.readString(run.resolve(ExperimentReport.FILE));
        List<String> table = report.lines().dropWhile(l -> !l.startsWith("| round | trained on")).skip(2)
                .takeWhile(l -> l.startsWith("|")).toList();
        assertThat(table).hasSize(4);
        assertThat(report).contains("strategy entropy with 25% of each round at random, class-balanced (exponent 0.5), "
                + "impurity-weighted (exponent 1.0), thinned by k-center from 3.0 x the round's pixels,");
        assertThat(table.get(0)).startsWith("| 0 | - | - |");
        assertThat(run.resolve(ExperimentReport.MIOU_CHART)).isRegularFile();
        assertThat(run.resolve(ExperimentReport.PLAR_CHART)).isRegularFile();
        assertThat(run.resolve("pictures/round-00.png")).isRegularFile();
        assertThat(run.resolve("pictures/round-01.png")).isRegularFile();
        JsonNode manifest = dev.semiactive.train.Json.MAPPER.readTree(run.resolve("manifest.json").toFile());
        assertThat(manifest.get("round").asInt()).isEqualTo(3);
        // the run's manifest names the label set its last round trained on, the one that round's training recorded
        JsonNode lastTraining = dev.semiactive.train.Json.MAPPER.readTree(ActiveLearningLoop.roundDir(run, 3).resolve("manifest.json").toFile());
        assertThat(manifest.get("labelSetHash").asText()).hasSize(16).isEqualTo(lastTraining.get("labelSetHash").asText());
        try (ProjectStore store = ProjectStore.open(run.resolve(Experiment.STORE))) {
            assertThat(result.finalMiou()).isEqualTo(store.metrics(3).get("mIoU").asDouble());
        }
        JsonNode finished = dev.semiactive.train.Json.MAPPER.readTree(run.resolve(Experiment.FINISHED).toFile());
        assertThat(finished.get("last_round").asInt()).isEqualTo(3);
        assertThat(finished.get("final_miou").asDouble()).isEqualTo(result.finalMiou());
    }

    @Test
    void aBudgetLeftOverUnderOnePercentOfARoundTrainsNoExtraRound(@TempDir Path dir) {
        // 2x2 cells, rounds of 6.25% = 768 px (192 regions). Three rounds of labels are 2304 px; a budget 4 px (one
        // region) above that leaves less than 1% of a round (7 px): spent, the rounds of a budget of exactly three
        // rounds (0..3, round 3 labelling nothing). 8 px above it is not: a round 4 tops up with two regions.
        long pool = 12L * 32 * 32;
        for (long extra : new long[]{4, 8}) {
            double budget = (2304 + extra + 0.5) / pool;
            SemiactiveConfig config = LoopFixtures.tiny(dir.resolve("extra-" + extra), "al.strategy=random", "al.cell=2",
                    "al.budget=" + budget, "train.steps=3");
            Experiment.Result result = Experiment.builder().setConfig(config).build().run();
            try (ProjectStore store = ProjectStore.open(result.runDir().resolve(Experiment.STORE))) {
                assertThat(store.poolPixels()).isEqualTo(pool);
                if (extra == 4) {
                    assertThat(store.rounds()).as("budget %s", budget).hasSize(4);
                    assertThat(store.labelStats().pixels()).isEqualTo(2304);
                } else {
                    assertThat(store.rounds()).as("budget %s", budget).hasSize(5);
                    assertThat(store.labelStats().pixels()).isEqualTo(2312);
                }
            }
        }
    }

    @Test
    void aRoundReusesOnlyAValidationOfTheLastStepThatRanInThisTraining() {
        ConfusionMatrix cm = new ConfusionMatrix(2);
        cm.add(new int[] {0, 1}, new int[] {0, 0});
        assertThat(ActiveLearningLoop.finalValidation(run(0, 250, cm), 250)).containsSame(cm);
        assertThat(ActiveLearningLoop.finalValidation(run(200, 250, cm), 250)).containsSame(cm); // resumed mid-round
        // resumed a finished training (nothing ran), stopped early, or never validated: the checkpoint is validated
        assertThat(ActiveLearningLoop.finalValidation(run(250, 250, null), 250)).isEmpty();
        assertThat(ActiveLearningLoop.finalValidation(run(0, 120, cm), 250)).isEmpty();
        assertThat(ActiveLearningLoop.finalValidation(run(0, 250, null), 250)).isEmpty();
        assertThat(ActiveLearningLoop.metrics(cm)).containsEntry("mIoU", 0.25).containsEntry("pixel_accuracy", 0.5)
                .containsEntry("per_class_iou", List.of(0.5, 0.0));
    }

    private static TrainingResult run(long start, long end, ConfusionMatrix validation) {
        return new TrainingResult(start, end, start > 0, Map.of(), validation, null, 0, null);
    }

    @Test
    void randomSelectionNeedsNoModelPassOverThePool(@TempDir Path dir) {
        SemiactiveConfig config = LoopFixtures.tiny(dir.resolve("run"), "al.strategy=random", "al.budget=0.125");
        Experiment.Result result = Experiment.builder().setConfig(config).build().run();
        try (ProjectStore store = ProjectStore.open(result.runDir().resolve(Experiment.STORE))) {
            assertThat(store.rounds()).hasSize(3);
            assertThat(store.labelStats().regions()).isEqualTo(24);
            var m = store.metrics(1);
            assertThat(m.get("mIoU").asDouble()).isBetween(0.0, 1.0);
            assertThat(m).doesNotContainKeys("scored_images", "error_flagged_fraction");
            assertThat(store.plarTotals(1)[0]).isZero();
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
