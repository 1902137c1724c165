package dev.semiactive.loop;

import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.RoundPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paper's pairing: TSF training (teacher, friend, EMD head) inside the active-learning loop with the
 * tsf-plar strategy. Covers the EMD path of pool scoring and the PLAR-refined targets of later rounds.
 */
class TsfExperimentTest {
    @Test
    void tsfWithTsfPlarRunsEveryRoundAndScoresWithTheEmd(@TempDir Path dir) throws Exception {
        SemiactiveConfig config = LoopFixtures.tiny(dir.resolve("run"), "train.method=tsf", "al.strategy=tsf-plar",
                "train.unlabelled_batch_size=4", "tsf.threshold=0.9");
        Experiment.Result result = Experiment.builder().setConfig(config).build().run();
        Path run = result.runDir();
        try (ProjectStore store = ProjectStore.open(run.resolve(Experiment.STORE))) {
            // 6.25% then 6.25% a round up to 18.75% of 36 regions: rounds 0-3, 12 regions labelled in rounds 0-2
            assertThat(store.rounds()).allMatch(r -> r.phase() == RoundPhase.DONE).hasSize(4);
            assertThat(store.labelStats().regions()).isEqualTo(36);
            for (int r = 1; r < store.rounds().size(); r++) {
                Path ckpt = ActiveLearningLoop.checkpoint(run, r);
                // the evaluated network is the EMA teacher; the EMD head is saved beside it and used in scoring
                assertThat(ckpt.resolve("teacher.params")).isRegularFile();
                assertThat(ckpt.resolve("emd.params")).isRegularFile();
                // emd_* is written only when the EMD's flag map reached the round's tally, i.e. scoring ran the EMD
                assertThat(store.metrics(r)).as("round %d scored with the EMD", r).containsKey("emd_flagged_fraction");
                assertThat(store.metrics(r).get("error_flagged_fraction").isNumber()).isTrue();
                assertThat(store.metrics(r).get("error_flagged_fraction").asDouble()).isBetween(0.0, 1.0);
            }
            assertThat(store.plarTotals(1)[0]).isEqualTo(12);
        }
        // PLAR's refinements of round r - 1 reach round r's TSF training from round 2 on (refined_ratio is logged only
        // when the loop handed the overrides to the method); round 1 has no refinement before it
        assertThat(Files.readString(ActiveLearningLoop.roundDir(run, 1).resolve("metrics.jsonl"))).doesNotContain("refined_ratio");
        assertThat(Files.readString(ActiveLearningLoop.roundDir(run, 2).resolve("metrics.jsonl"))).contains("\"refined_ratio\"");
        assertThat(Files.readString(ActiveLearningLoop.roundDir(run, 3).resolve("metrics.jsonl"))).contains("\"refined_ratio\"");
        assertThat(Files.readString(run.resolve(ExperimentReport.FILE))).contains("| round |");
        assertThat(result.finalMiou()).isBetween(0.0, 1.0);
    }
}
