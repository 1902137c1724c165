package dev.semiactive.train;

import ai.djl.ndarray.NDManager;
import dev.semiactive.data.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunManifestTest {
    @Test
    void writesAndReadsBackWithHashesAndVersions(@TempDir Path run) {
        SyntheticData.InMemory data = SyntheticData.scenes(3, 16, 1);
        RunManifest m = RunManifest.builder().setConfig(Json.MAPPER.valueToTree(Map.of("lr", 0.01, "steps", 100)))
                .setSeed(42).optDataset(data).optRound(2).optLabelSetHash("abc").build();
        m.write(run);
        RunManifest back = RunManifest.read(run);
        assertThat(back).isEqualTo(m);
        assertThat(back.config().get("steps").asInt()).isEqualTo(100);
        assertThat(back.versions()).containsKeys("java", "djl", "engine", "semiactive", "cpu");
        // the CPU decides oneDNN's kernels, so a seeded run repeats exactly only on the same one
        assertThat(back.versions().get("cpu")).contains(Runtime.getRuntime().availableProcessors() + " cores");
        assertThat(back.datasetHash()).hasSize(64);
        assertThat(back.round()).isEqualTo(2);
        assertThat(back.host()).isNotBlank();
        // the test runs inside the repository: its HEAD is recorded
        assertThat(back.gitCommit()).matches("[0-9a-f]{40}");
    }

    private static RunManifest writtenElsewhere(RunManifest m, String host, String commit, String when) {
        return new RunManifest(m.formatVersion(), m.config(), m.seed(), m.versions(), m.datasetHash(), m.labelSpaceHash(),
                m.labelSetHash(), m.initHash(), m.round(), commit, host, when, List.of());
    }

    @Test
    void aRunTrainedInPartsNamesEveryBuildThatWroteIt(@TempDir Path run) {
        RunManifest here = RunManifest.builder().setConfig(Json.MAPPER.valueToTree(Map.of("steps", 100))).setSeed(42).build();
        RunManifest first = writtenElsewhere(here, "machine-a", "a".repeat(40), "2026-12-05T10:00:00Z");
        first.write(run);
        assertThat(RunManifest.read(run).earlier()).isEmpty();

        // resumed on this machine, under this build: the first part's build is kept
        here.write(run);
        RunManifest resumed = RunManifest.read(run);
        assertThat(resumed.host()).isEqualTo(here.host());
        assertThat(resumed.earlier()).containsExactly(first.build());
        assertThat(resumed.asProvenance().get("earlierBuilds")).isEqualTo(List.of(first.build()));

        // written again by the same build (an experiment's next round): nothing added
        here.write(run);
        assertThat(RunManifest.read(run).earlier()).containsExactly(first.build());

        // back on the first machine: both earlier parts are named, in order
        RunManifest third = writtenElsewhere(here, "machine-a", "a".repeat(40), "2026-12-07T10:00:00Z");
        third.write(run);
        assertThat(RunManifest.read(run).earlier()).containsExactly(first.build(), here.build());

        // a manifest of another seed is another run: the history is not carried over
        RunManifest otherSeed = RunManifest.builder().setConfig(Json.MAPPER.valueToTree(Map.of("steps", 100))).setSeed(7).build();
        otherSeed.write(run);
        assertThat(RunManifest.read(run).earlier()).isEmpty();
    }

    @Test
    void aManifestFromBeforeTheHistoryReadsAndIsCarriedOver(@TempDir Path run) throws IOException {
        RunManifest here = RunManifest.builder().setConfig(Json.MAPPER.valueToTree(Map.of("steps", 1))).setSeed(3).build();
        com.fasterxml.jackson.databind.node.ObjectNode old = Json.MAPPER.valueToTree(
                writtenElsewhere(here, "old-host", "b".repeat(40), "2026-12-01T00:00:00Z"));
        old.remove("earlier");
        Files.writeString(run.resolve(RunManifest.FILE), Json.MAPPER.writeValueAsString(old));
        assertThat(RunManifest.read(run).earlier()).isNull();
        here.write(run);
        assertThat(RunManifest.read(run).earlier()).extracting(RunManifest.Build::host).containsExactly("old-host");
    }

    @Test
    void datasetHashIsStableAndSeesContentAndIds() {
        SyntheticData.InMemory a = SyntheticData.scenes(3, 16, 1);
        String h = RunManifest.hashDataset(a);
        assertThat(RunManifest.hashDataset(SyntheticData.scenes(3, 16, 1))).isEqualTo(h);
        List<Sample> relabelled = new ArrayList<>(a.samples.values());
        Sample s0 = relabelled.get(0);
        int[] mask = s0.mask().clone();
        mask[100] = mask[100] == 1 ? 2 : 1;
        relabelled.set(0, s0.withMask(mask));
        assertThat(RunManifest.hashDataset(new SyntheticData.InMemory(relabelled))).isNotEqualTo(h);
        assertThat(RunManifest.hashDataset(SyntheticData.scenes(4, 16, 1))).isNotEqualTo(h);
        assertThat(RunManifest.hashLabelSpace(SyntheticData.LABELS)).hasSize(64);
    }

    private static void checkpoint(Path runDir, long seed) {
        try (NDManager m = NDManager.newBaseManager();
             Network net = new Network(new NetworkRole("student", TrainingLoopTest.NET, seed, true), 1, m, 0.9f, 0f)) {
            Checkpoint.write(Checkpoint.directory(runDir, Checkpoint.LATEST), List.of(net),
                    new TrainingState(1, "supervised", 5, 5, seed, null, -1, Checkpoint.optimizerLayout(List.of(net)), "now", null),
                    TrainingLoopTest.card());
        }
    }

    private static RunManifest withInit(Path init, Path runDir) {
        return RunManifest.builder().setConfig(Json.MAPPER.valueToTree(Map.of("steps", 1))).setSeed(1)
                .optInit(init, runDir).build();
    }

    @Test
    void initHashNamesTheStartingWeightsWhereverTheyLieAndIsKeptOnceRecorded(@TempDir Path dir) throws IOException {
        Path pretextA = dir.resolve("pretext-a"), pretextB = dir.resolve("pretext-b");
        checkpoint(pretextA, 1);
        checkpoint(pretextB, 2); // the same network trained again, other weights
        String a = withInit(pretextA, null).initHash();
        assertThat(a).matches("[0-9a-f]{64}")
                .isEqualTo(Checkpoint.hashParameters(Checkpoint.directory(pretextA, Checkpoint.LATEST)))
                // a run folder and its latest checkpoint name the same weights
                .isEqualTo(withInit(Checkpoint.directory(pretextA, Checkpoint.LATEST), null).initHash());
        assertThat(withInit(pretextB, null).initHash()).isNotEqualTo(a);

        // the hash is of the weights, not the place: a copy elsewhere records the same
        Path copy = Checkpoint.directory(dir.resolve("elsewhere"), Checkpoint.LATEST);
        Files.createDirectories(copy);
        try (var files = Files.list(Checkpoint.directory(pretextA, Checkpoint.LATEST))) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        assertThat(withInit(dir.resolve("elsewhere"), null).initHash()).isEqualTo(a);

        // no model.init, or one that is not a checkpoint yet: nothing recorded (training stops on the latter itself)
        assertThat(withInit(null, null).initHash()).isNull();
        assertThat(withInit(dir.resolve("not-trained"), null).initHash()).isNull();

        // a run that rewrites its manifest keeps what it started from, though the folder was trained again since
        Path run = dir.resolve("run");
        withInit(pretextA, run).write(run); // no manifest there yet: hashed
        assertThat(RunManifest.initHashIn(run)).isEqualTo(a);
        withInit(pretextB, run).write(run);
        assertThat(RunManifest.read(run).initHash()).isEqualTo(a);
        assertThat(RunManifest.initHashIn(dir.resolve("no-run"))).isNull();
    }
}
