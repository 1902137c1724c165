package dev.semiactive.loop;

import dev.semiactive.al.RegionGrid;
import dev.semiactive.al.RoundSelector;
import dev.semiactive.al.SelectionRequest;
import dev.semiactive.al.Strategies;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.pipeline.Components;
import dev.semiactive.pipeline.TrainingRun;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.RegionLabel;
import dev.semiactive.util.ResidentMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PoolScoringMemoryTest {
    /**
     * 2000 pool images streamed through the model, PLAR and a strategy: resident memory outside the Java
     * heap after 2000 images is about what it was after 300. A batch leaked per step (32 x 16x16 images,
     * probabilities, F1/F2 copies) would add well over 100 kB a batch, ~20 MB over the 53 batches.
     */
    @Test
    void scoringTwoThousandImagesKeepsResidentMemoryFlat(@TempDir Path dir) {
        SemiactiveConfig config = LoopFixtures.tiny(dir.resolve("run"), "data.synthetic.images=2000", "data.synthetic.width=16",
                "data.synthetic.height=16", "train.steps=2", "train.checkpoint_every=2", "data.val_split=null",
                "al.strategy=tsf-plar");
        SegmentationDataset poolData = Components.open(config.data(), config.data().trainSplit(), 7, true);
        try (ProjectStore store = ProjectStore.open(dir.resolve("project.db"))) {
            LabelledPool.register(store, poolData);
            LabelledPool pool = new LabelledPool(poolData, store);
            // round 0: the whole of 20 images labelled, one 16x16 region each
            store.beginRound(0);
            List<RegionLabel> labels = new ArrayList<>();
            for (String id : poolData.ids().subList(0, 20)) {
                new RegionGrid(16).regionize(id, 16, 16).saveTo(store);
                int[] px = new int[256];
                for (int i = 0; i < 256; i++) px[i] = i;
                labels.add(new RegionLabel(id + "#g16:0:0", id, px, poolData.load(id).mask(), -1, "test"));
            }
            store.addLabels(0, labels);
            store.completePhase(0, dev.semiactive.store.RoundPhase.DONE);
            store.beginRound(1);
            Path round1 = ActiveLearningLoop.roundDir(dir, 1);
            TrainingRun.run(config, new TrainingRun.RunData(pool.labelled(0), null, null), round1, null, 1, "test");

            PoolScoring scoring = PoolScoring.builder().setPool(pool).setRegionizer(new RegionGrid(8))
                    .setRefinement(new Refinement(3, config.plar(), 0.7, 7)).setCheckpoints(r -> ActiveLearningLoop.checkpoint(dir, r))
                    .optBatchSize(32).optGroundTruth(true).build();
            RoundSelector selector = Strategies.byName("tsf-plar", 7).newRound(SelectionRequest.of(4096, Set.of()));
            long[] probe = new long[2];
            int[] seen = {0};
            long t0 = System.nanoTime();
            scoring.score(1, (regions, evidence) -> {
                selector.accept(evidence, regions);
                assertThat(evidence.undecided()).isNotNull();
                if (++seen[0] == 300) probe[0] = ResidentMemory.outsideHeapKb();
                else if (seen[0] == 2000) probe[1] = ResidentMemory.outsideHeapKb();
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(seen[0]).isEqualTo(2000);
            assertThat(selector.select()).hasSize(4096 / 64);
            assertThat(store.plarTotals(1)[0]).isEqualTo(2000);
            assertThat(store.metrics(1)).containsKeys("error_flagged_fraction", "plar_refined_fraction", "plar_accuracy");
            long growthKb = probe[1] - probe[0];
            System.out.printf("pool scoring: 2000 images in %.1f s, outside-heap RSS %d kB -> %d kB%n", seconds, probe[0], probe[1]);
            assertThat(growthKb).as("resident memory outside the Java heap, growth from image 300 to 2000 (kB)").isLessThan(12_000);
        }
    }
}
