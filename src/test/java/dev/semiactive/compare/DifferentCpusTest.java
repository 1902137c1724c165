package dev.semiactive.compare;

import dev.semiactive.train.Json;
import dev.semiactive.train.RunManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The report names a seed whose arms ran on more than one CPU: their gaps then include the machine's rounding. */
class DifferentCpusTest {
    private static final String A = "AMD EPYC, family 25 model 17, 2 cores, avx2";
    private static final String B = "AMD EPYC, family 26 model 2, 2 cores, avx2";

    @Test
    void aSeedWhoseArmsRanOnTwoCpusIsNamedAndOneOnOneCpuIsNot(@TempDir Path dir) throws IOException {
        List<Comparison.ArmResult> arms = List.of(
                arm(dir, ComparisonArm.RANDOM, 49, A, null),
                arm(dir, ComparisonArm.ENTROPY, 49, B, null),
                arm(dir, ComparisonArm.RANDOM, 48, A, null),
                arm(dir, ComparisonArm.ENTROPY, 48, A, null));
        assertThat(ComparisonReport.differentCpus(arms)).containsExactly("seed 49: the arms ran on more than one CPU (manifest "
                + "versions.cpu: random on " + A + "; entropy on " + B + "): another CPU rounds a seeded run differently, so their "
                + "gaps include the machine");
        assertThat(ComparisonReport.differentCpus(arms.subList(2, 4))).isEmpty();
    }

    @Test
    void anArmResumedOnAnotherCpuCountsBoth(@TempDir Path dir) throws IOException {
        // entropy's first rounds ran on A, the rest on B (its manifest's earlier build), random wholly on B
        List<Comparison.ArmResult> arms = List.of(arm(dir, ComparisonArm.RANDOM, 47, B, null), arm(dir, ComparisonArm.ENTROPY, 47, B, A));
        assertThat(ComparisonReport.differentCpus(arms)).singleElement().asString()
                .contains("entropy on " + A + "; random, entropy on " + B);
    }

    @Test
    void anArmWithoutManifestIsLeftOut(@TempDir Path dir) throws IOException {
        Path bare = Files.createDirectories(dir.resolve("bare"));
        List<Comparison.ArmResult> arms = List.of(arm(dir, ComparisonArm.RANDOM, 46, A, null),
                new Comparison.ArmResult(ComparisonArm.ENTROPY, 46, bare, Map.of()));
        assertThat(ComparisonReport.differentCpus(arms)).isEmpty();
    }

    private static RunManifest written(RunManifest m, String cpu, String host, String when) {
        return new RunManifest(m.formatVersion(), m.config(), m.seed(), Map.of("cpu", cpu), m.datasetHash(), m.labelSpaceHash(),
                m.labelSetHash(), m.initHash(), m.round(), "b".repeat(40), host, when, List.of());
    }

    private static Comparison.ArmResult arm(Path dir, ComparisonArm arm, long seed, String cpu, String earlierCpu) throws IOException {
        Path d = Files.createDirectories(dir.resolve(arm + "-s" + seed));
        RunManifest here = RunManifest.builder().setConfig(Json.MAPPER.valueToTree(Map.of("steps", 10))).setSeed(seed).build();
        // a resumed arm: the part on the other machine wrote the manifest first, and the resume keeps its build
        if (earlierCpu != null) written(here, earlierCpu, "vm-a", "2026-12-01T00:00:00Z").write(d);
        written(here, cpu, "vm-b", "2026-12-02T00:00:00Z").write(d);
        return new Comparison.ArmResult(arm, seed, d, Map.of());
    }
}
