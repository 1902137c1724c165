package dev.semiactive.store;

import dev.semiactive.bench.PythonScript;
import dev.semiactive.bench.PythonScript.Result;
import dev.semiactive.data.LabelSpace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import static dev.semiactive.bench.PythonScript.exec;
import static dev.semiactive.bench.PythonScript.outputLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bench scripts that read or cut project stores with the standard library alone, against a store written by
 * {@link ProjectStore}: {@code bench/label_stats.py} decodes the label blobs itself and BENCHMARKS.md quotes its
 * figures, so known labels must read back as the pixels stored (a change of {@link BlobCodec} cannot silently skew
 * it); {@code bench/fork_experiment.py} deletes rows by round, so its cut must leave a store the loop resumes at
 * the fork's round (a change of the schema cannot silently break the screens made with it); and
 * {@code bench/fill_benchmarks_table.py} must find the sections of a report the comparison writes. Skipped where no
 * python3 is on the PATH.
 */
class BenchScriptsTest {
    private static final Path LABEL_STATS = Path.of("bench/label_stats.py");
    private static final Path FORK = Path.of("bench/fork_experiment.py");
    private static final Path FILL = Path.of("bench/fill_benchmarks_table.py");
    /** A report written by the comparison (kept in the repository), for the sections the fill script copies. */
    private static final Path KEPT_REPORT = Path.of("docs/benchmarks/camvid-al-cpu-250-img");
    private static final int SKY = 0, BUILDING = 1, TREE = 2, FENCE = 3;

    @TempDir
    static Path arm;

    @BeforeAll
    static void storeKnownLabels() {
        assumeTrue(PythonScript.available(), "no python3 on the PATH");
        // 8x4 images a and b, two 4x4 cells each (16 pixels a region).
        try (ProjectStore s = ProjectStoreTest.seeded(arm.resolve("project.db"), Clock.systemUTC())) {
            s.beginRound(0);
            s.commitSelection(0, "random", List.of(new ProjectStore.NewQuery("a#g4:0:0", 1, 0)));
            int[] skyAndTree = fill(16, SKY);
            Arrays.fill(skyAndTree, 0, 8, TREE);                 // round 0's Tree: outside --mix's count
            s.addLabels(0, List.of(label("a#g4:0:0", "a", 0, skyAndTree)));
            s.completePhase(0, RoundPhase.DONE);
            s.beginRound(1);
            s.commitSelection(1, "entropy", List.of(new ProjectStore.NewQuery("a#g4:0:1", 0.9, 0),
                new ProjectStore.NewQuery("b#g4:0:0", 0.8, 1), new ProjectStore.NewQuery("b#g4:0:1", 0.7, 2)));
            int[] pureTree = fill(16, TREE);
            pureTree[3] = BUILDING;                                        // 15 Tree of 16: >= 90% Tree, beside Building
            int[] mixed = fill(16, LabelSpace.IGNORE);                     // 4 void
            for (int i = 0; i < 8; i++) mixed[i] = TREE;                   // 8 Tree of 12 valid: not pure
            for (int i = 8; i < 11; i++) mixed[i] = FENCE;
            mixed[11] = BUILDING;
            s.addLabels(1, List.of(label("a#g4:0:1", "a", 1, pureTree), label("b#g4:0:0", "b", 0, mixed),
                label("b#g4:0:1", "b", 1, fill(16, BUILDING))));            // no Tree: outside --mix's count
        }
    }

    @Test
    void forkCutsTheStoreBackToItsRoundStartedAndCopiesTheRoundsBefore(@TempDir Path work) throws Exception {
        Path source = work.resolve("source");
        Files.createDirectories(source.resolve("rounds/round-01/checkpoints"));
        Files.writeString(source.resolve("rounds/round-01/checkpoints/model.json"), "{}");
        Files.createDirectories(source.resolve("rounds/round-02/checkpoints"));
        Files.copy(arm.resolve("project.db"), source.resolve("project.db"));
        try (ProjectStore s = ProjectStore.open(source.resolve("project.db"))) {
            s.putMetric(1, "miou", 0.25);
            s.completePhase(1, RoundPhase.DONE);
        }
        Path target = work.resolve("fork");
        assertThat(outputLines(FORK, source.toString(), target.toString(), "1")).anyMatch(l -> l.contains("cut back to round 1 started"));
        assertThat(target.resolve("rounds/round-00")).doesNotExist();
        assertThat(target.resolve("rounds/round-01")).doesNotExist();
        assertThat(work.resolve("fork.partial")).doesNotExist();
        try (ProjectStore s = ProjectStore.open(target.resolve("project.db"))) {
            assertThat(s.labels(0)).extracting(RegionLabel::regionId).containsExactly("a#g4:0:0");
            assertThat(s.labels(1)).isEmpty();
            assertThat(s.queries(1)).isEmpty();
            assertThat(s.metrics(1)).isEmpty();
            assertThat(s.roundPhase(1)).contains(RoundPhase.STARTED);
            assertThat(s.beginRound(1)).isEqualTo(RoundPhase.STARTED);
        }
        try (ProjectStore s = ProjectStore.open(source.resolve("project.db"))) {
            assertThat(s.labels(1)).hasSize(3);                        // the source is only read
            assertThat(s.roundPhase(1)).contains(RoundPhase.DONE);
        }

        Path later = work.resolve("fork-2");
        outputLines(FORK, source.toString(), later.toString(), "2");
        assertThat(later.resolve("rounds/round-01/checkpoints/model.json")).hasContent("{}");
        assertThat(later.resolve("rounds/round-02")).doesNotExist();
        Result again = exec(FORK, source.toString(), later.toString(), "2");
        assertThat(again.rc()).isNotZero();
        assertThat(again.err()).hasLineCount(1).contains(later + " exists", "nothing was changed");
    }

    @Test
    void fillReplacesOnlyTheTableBlockAfterTheLineNamingTheDocsFolder(@TempDir Path work) throws Exception {
        Path results = Files.createDirectories(work.resolve("results"));
        for (String f : List.of("comparison.md", "comparison.png"))
            Files.copy(KEPT_REPORT.resolve(f), results.resolve(f));
        Path docs = work.resolve("docs/comparison");
        Path bench = work.resolve("BENCHMARKS.md");
        String before = "# Benchmarks\n\n<!-- table -->\nanother section's table\n<!-- /table -->\n\n### The comparison in "
            + docs + "\n\n";
        Files.writeString(bench, before + "<!-- table -->\nold rows\n<!-- /table -->\n\nafter\n");
        outputLines(FILL, results.toString(), docs.toString(), bench.toString());
        assertThat(docs.resolve("comparison.md")).hasSameTextualContentAs(results.resolve("comparison.md"));
        assertThat(docs.resolve("comparison.png")).hasSameBinaryContentAs(results.resolve("comparison.png"));
        String text = Files.readString(bench);
        assertThat(text).startsWith(before + "<!-- table -->\nValidation mIoU % by share of the pool's pixels labelled:")
            .endsWith("<!-- /table -->\n\nafter\n").doesNotContain("old rows");
        List<String> report = Files.readAllLines(results.resolve("comparison.md"));
        String miouRow = report.stream().filter(l -> l.startsWith("| full-schedule |")).findFirst().orElseThrow();
        String target = report.stream().filter(l -> l.startsWith("- tsf-plar-balanced at 8.0%")).findFirst().orElseThrow();
        assertThat(text).contains(miouRow, "% of full:", "Targets, as the report checks them:", target);
    }

    @Test
    void perRoundRowsGiveTheStoredRegionsImagesAndClassShares() throws Exception {
        List<String> out = run(arm.toString(), "--classes", "Sky,Building,Tree,Fence");
        String name = arm.getFileName().toString();
        assertThat(out).containsExactly(
            "| arm | round | regions | images | void % | Sky | Building | Tree | Fence |",
            "|---|---|---|---|---|---|---|---|---|",
            "| " + name + " | 0 | 1 | 1 | 0.0 | 50.0 | 0.0 | 50.0 | 0.0 |",
            // round 1: 48 pixels, 4 void; of 44 valid, Building 1 + 1 + 16, Tree 15 + 8, Fence 3
            "| " + name + " | 1 | 3 | 2 | 8.3 | 0.0 | 40.9 | 52.3 | 6.8 |");
    }

    @Test
    void mixCountsAClassInPureRegionsAndBesideAnotherAfterRoundZero() throws Exception {
        List<String> out = run(arm.toString(), "--classes", "Sky,Building,Tree,Fence", "--mix", "Tree:Building");
        // 23 Tree pixels; 15 in the region that is >= 90% Tree; all 23 in regions that hold Building
        assertThat(out.get(2)).isEqualTo("| " + arm.getFileName() + " | 23 | 65.2 | 100.0 |");
        assertThat(run(arm.toString(), "--mix", "2:3").get(2)).isEqualTo("| " + arm.getFileName() + " | 23 | 65.2 | 34.8 |");
    }

    @Test
    void aFolderWithoutAStoreAndAnUnknownClassAreOneLineErrors(@TempDir Path empty) throws Exception {
        Result missing = exec(LABEL_STATS, empty.toString());
        assertThat(missing.rc()).isNotZero();
        assertThat(missing.err()).hasLineCount(1).contains(empty.resolve("project.db").toString(), "not found", "run folder of an arm");
        Result unknown = exec(LABEL_STATS, arm.toString(), "--classes", "Sky,Building", "--mix", "Tree:Building");
        assertThat(unknown.rc()).isNotZero();
        assertThat(unknown.err()).hasLineCount(1).contains("--mix Tree:Building", "a name given with --classes");
    }

    private static RegionLabel label(String region, String image, int cell, int[] classes) {
        return new RegionLabel(region, image, ProjectStoreTest.cellPixels(cell), classes, -1, "simulated");
    }

    private static int[] fill(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }

    /** label_stats.py's stdout lines, asserting it succeeded. */
    private static List<String> run(String... args) throws Exception {
        return outputLines(LABEL_STATS, args);
    }
}
