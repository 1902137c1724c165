package dev.semiactive.train;

import dev.semiactive.data.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
