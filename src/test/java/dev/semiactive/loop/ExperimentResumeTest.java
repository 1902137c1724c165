package dev.semiactive.loop;

import dev.semiactive.SemiactiveException;
import dev.semiactive.al.Oracle;
import dev.semiactive.al.OracleAnswer;
import dev.semiactive.al.SimulatedOracle;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.pipeline.Components;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.QueryRecord;
import dev.semiactive.store.RegionPixels;
import dev.semiactive.store.RoundPhase;
import dev.semiactive.store.StoredImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentResumeTest {
    /** The simulated oracle, but the process "dies" at its n-th call (one call = one image's queries). */
    static final class DyingOracle implements Oracle {
        final Oracle inner;
        int calls;
        final int dieAt;

        DyingOracle(Oracle inner, int dieAt) {
            this.inner = inner;
            this.dieAt = dieAt;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<OracleAnswer> answer(List<RegionPixels> queries) {
            if (++calls == dieAt) throw new IllegalStateException("killed");
            return inner.answer(queries);
        }
    }

    /** What an experiment's store says: queries per round (id, rank) and every image's label mask. */
    static Map<String, Object> snapshot(Path run) {
        Map<String, Object> s = new LinkedHashMap<>();
        try (ProjectStore store = ProjectStore.open(run.resolve(Experiment.STORE))) {
            for (var r : store.rounds()) {
                List<String> q = new ArrayList<>();
                for (QueryRecord rec : store.queries(r.round())) q.add(rec.regionId() + "@" + rec.rank() + ":" + rec.status());
                s.put("queries " + r.round(), q);
            }
            for (StoredImage im : store.images())
                s.put("mask " + im.id(), java.util.Arrays.toString(store.labelMask(im.id(), im.width(), im.height())));
            s.put("regions", new java.util.TreeSet<>(store.labelledRegionIds()));
        }
        return s;
    }

    @Test
    void aKillMidRoundThenResumeGivesTheSameLabelledSetAsAnUninterruptedRun(@TempDir Path dir) {
        SemiactiveConfig straight = LoopFixtures.tiny(dir.resolve("straight"), "al.rounds=2");
        Experiment.builder().setConfig(straight).build().run();

        SemiactiveConfig killed = LoopFixtures.tiny(dir.resolve("killed"), "al.rounds=2");
        SegmentationDataset pool = Components.open(killed.data(), killed.data().trainSplit(), 7, true);
        DyingOracle dying = new DyingOracle(new SimulatedOracle(id -> pool.load(id).mask(), SimulatedOracle.Mode.ALL_PIXELS), 11);
        assertThatThrownBy(() -> Experiment.builder().setConfig(killed).optOracle(dying).build().run()).hasMessage("killed");
        try (ProjectStore store = ProjectStore.open(dir.resolve("killed").resolve(Experiment.STORE))) {
            // the kill hit round 1 while labelling: its queries are committed, some answered, some pending
            assertThat(store.latestRound()).hasValue(1);
            assertThat(store.roundPhase(1)).hasValue(RoundPhase.QUERIED);
            assertThat(store.pendingCount(1)).isPositive().isLessThan(store.queries(1).size());
        }
        Experiment.Result resumed = Experiment.builder().setConfig(killed).build().run();
        assertThat(resumed.lastRound()).isEqualTo(2);
        assertThat(snapshot(dir.resolve("killed"))).isEqualTo(snapshot(dir.resolve("straight")));
        // and the seeded runs are the same on CPU to the last digit: every round's validation and model
        try (ProjectStore a = ProjectStore.open(dir.resolve("straight").resolve(Experiment.STORE));
             ProjectStore b = ProjectStore.open(dir.resolve("killed").resolve(Experiment.STORE))) {
            for (int r = 1; r <= 2; r++) {
                assertThat(b.metrics(r).get("mIoU")).as("round %d", r).isEqualTo(a.metrics(r).get("mIoU"));
                assertThat(b.metrics(r).get("per_class_iou")).isEqualTo(a.metrics(r).get("per_class_iou"));
                assertThat(dev.semiactive.train.Checkpoint.hashParameters(ActiveLearningLoop.checkpoint(dir.resolve("killed"), r)))
                        .isEqualTo(dev.semiactive.train.Checkpoint.hashParameters(ActiveLearningLoop.checkpoint(dir.resolve("straight"), r)));
            }
        }

        // running a finished experiment again changes nothing: ids, queries and labels are stable
        Map<String, Object> before = snapshot(dir.resolve("killed"));
        Experiment.builder().setConfig(killed).build().run();
        assertThat(snapshot(dir.resolve("killed"))).isEqualTo(before);
        // nor does it under settings that say only where and how often it logs
        Experiment.builder().setConfig(LoopFixtures.tiny(dir.resolve("killed"), "al.rounds=2", "train.log_every=1", "train.checkpoint_every=2"))
                .build().run();
        assertThat(snapshot(dir.resolve("killed"))).isEqualTo(before);
    }

    @Test
    void aRerunUnderOtherSettingsIsRefusedAndLeavesTheRunAsItWas(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Experiment.builder().setConfig(LoopFixtures.tiny(run, "al.rounds=1")).build().run();
        String config = java.nio.file.Files.readString(run.resolve("config.yaml"));
        String manifest = java.nio.file.Files.readString(run.resolve("manifest.json"));
        Map<String, Object> before = snapshot(run);
        // another strategy and learning rate would mix two experiments in one folder
        assertThatThrownBy(() -> Experiment.builder().setConfig(LoopFixtures.tiny(run, "al.rounds=1", "al.strategy=random", "train.lr=0.05"))
                .build().run()).isInstanceOf(SemiactiveException.class)
                .hasMessage(run + " holds an experiment made with other settings (al.strategy entropy -> random, train.lr 0.02 -> 0.05): "
                        + "put them back to resume it, or set another run.output_dir for a new experiment");
        assertThat(java.nio.file.Files.readString(run.resolve("config.yaml"))).isEqualTo(config);
        assertThat(java.nio.file.Files.readString(run.resolve("manifest.json"))).isEqualTo(manifest);
        assertThat(snapshot(run)).isEqualTo(before);
        // a longer curve too: the finished run's last round selected nothing, so it would silently stop where it was
        assertThatThrownBy(() -> Experiment.builder().setConfig(LoopFixtures.tiny(run, "al.rounds=2")).build().run())
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("(al.rounds 1 -> 2)");
    }

    @Test
    void aRoundWhosePreviousModelIsGoneFailsInsteadOfTrainingFromScratch(@TempDir Path dir) throws Exception {
        SemiactiveConfig config = LoopFixtures.tiny(dir, "al.rounds=3");
        SegmentationDataset pool = Components.open(config.data(), config.data().trainSplit(), 7, true);
        try (ProjectStore store = ProjectStore.open(dir.resolve(Experiment.STORE))) {
            LabelledPool.register(store, pool);
            ActiveLearningLoop loop = ActiveLearningLoop.builder().setConfig(config).setPool(new LabelledPool(pool, store))
                    .setOracle(new SimulatedOracle(id -> pool.load(id).mask(), SimulatedOracle.Mode.ALL_PIXELS)).setDirectory(dir).build();
            assertThat(loop.runRound(0, false)).isEqualTo(RoundPhase.DONE);
            assertThat(loop.runRound(1, false)).isEqualTo(RoundPhase.DONE);
            // round 1's model removed (a deleted or moved folder): round 2 would have started from the seeded initialisation
            Path model = ActiveLearningLoop.checkpoint(dir, 1);
            assertThat(model).isDirectory();
            dev.semiactive.train.Checkpoint.deleteRecursively(model.getParent());
            assertThatThrownBy(() -> loop.runRound(2, false)).isInstanceOf(SemiactiveException.class)
                    .hasMessageContaining("round 1's model is missing: " + model)
                    .hasMessageContaining("round 2 starts from it").hasMessageContaining("restore that folder");
            assertThat(ActiveLearningLoop.roundDir(dir, 2).resolve("checkpoints")).doesNotExist();
            assertThat(store.roundPhase(2)).hasValue(RoundPhase.STARTED);
        }
    }
}
