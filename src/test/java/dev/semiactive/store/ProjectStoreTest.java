package dev.semiactive.store;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.LabelSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectStoreTest {
    @TempDir
    Path dir;

    static final int W = 8, H = 4;

    /** Two 4x4 cells per image: index = x / 4. */
    static int[] twoCells() {
        int[] m = new int[W * H];
        for (int i = 0; i < m.length; i++) m[i] = (i % W) / 4;
        return m;
    }

    static List<StoredRegion> twoCellRegions(String image) {
        return List.of(new StoredRegion(image + "#g4:0:0", image, "g4", 0, 0, 0, 4, 4, 16),
            new StoredRegion(image + "#g4:0:1", image, "g4", 1, 4, 0, 8, 4, 16));
    }

    static ProjectStore seeded(Path file, java.time.Clock clock) {
        ProjectStore s = ProjectStore.open(file, clock);
        s.putImages(List.of(new StoredImage("a", "/x/a.png", W, H, "h1"), new StoredImage("b", "/x/b.png", W, H, "h2")));
        s.putRegionMap("a", "g4", W, H, twoCells(), twoCellRegions("a"));
        s.putRegionMap("b", "g4", W, H, twoCells(), twoCellRegions("b"));
        return s;
    }

    static int[] cellPixels(int cell) {
        int[] px = new int[16];
        int n = 0;
        for (int y = 0; y < H; y++) for (int x = cell * 4; x < cell * 4 + 4; x++) px[n++] = y * W + x;
        return px;
    }

    @Test
    void freshStoreIsWalWithSchemaVersion() {
        try (ProjectStore s = ProjectStore.open(dir.resolve("p.db"))) {
            assertThat(s.journalMode()).isEqualToIgnoringCase("wal");
            assertThat(s.schemaVersion()).isEqualTo(ProjectStore.SCHEMA_VERSION);
            assertThat(s.latestRound()).isEmpty();
            assertThat(s.poolPixels()).isZero();
        }
        assertThat(dir.resolve("p.db")).exists();
    }

    @Test
    void roundTripSurvivesReopenAndDerivesTheLabelMask() {
        Path f = dir.resolve("p.db");
        int[] perPixel = new int[16];
        for (int i = 0; i < 16; i++) perPixel[i] = i < 5 ? 2 : (i == 9 ? LabelSpace.IGNORE : 1);
        try (ProjectStore s = seeded(f, java.time.Clock.systemUTC())) {
            s.beginRound(0);
            s.commitSelection(0, "random", List.of(new ProjectStore.NewQuery("a#g4:0:1", 0.9, 0),
                new ProjectStore.NewQuery("b#g4:0:0", 0.5, 1)));
            assertThat(s.addLabels(0, List.of(
                new RegionLabel("a#g4:0:1", "a", cellPixels(1), perPixel, -1, "simulated"),
                RegionLabel.dominant("b#g4:0:0", "b", cellPixels(0), 3, "simulated-dominant")))).isEqualTo(2);
        }
        try (ProjectStore s = ProjectStore.open(f)) {
            assertThat(s.images()).extracting(StoredImage::id).containsExactly("a", "b");
            assertThat(s.poolPixels()).isEqualTo(2L * W * H);
            assertThat(s.region("a#g4:0:1")).contains(twoCellRegions("a").get(1));
            assertThat(s.regionPixels("a#g4:0:1").pixels()).containsExactly(cellPixels(1));
            int[] expectedA = new int[W * H];
            Arrays.fill(expectedA, LabelSpace.IGNORE);
            int[] c1 = cellPixels(1);
            for (int i = 0; i < 16; i++) expectedA[c1[i]] = perPixel[i];
            assertThat(s.labelMask("a", W, H)).containsExactly(expectedA);
            int[] expectedB = new int[W * H];
            Arrays.fill(expectedB, LabelSpace.IGNORE);
            for (int p : cellPixels(0)) expectedB[p] = 3;
            assertThat(s.labelMask("b", W, H)).containsExactly(expectedB);
            assertThat(s.labelStats()).isEqualTo(new LabelStats(32, 2, 2));
            assertThat(s.queries(0)).extracting(QueryRecord::status).containsOnly(QueryStatus.ANSWERED);
            assertThat(s.roundPhase(0)).contains(RoundPhase.QUERIED);
            RegionLabel back = s.label("b#g4:0:0").orElseThrow();
            assertThat(back.dominantClass()).isEqualTo(3);
            assertThat(back.labelledBy()).isEqualTo("simulated-dominant");
            assertThat(s.labels(0)).hasSize(2);
        }
    }

    @Test
    void labelMaskComposesRoundsInOrder() {
        try (ProjectStore s = seeded(dir.resolve("p.db"), java.time.Clock.systemUTC())) {
            s.beginRound(0);
            s.addLabel(0, RegionLabel.dominant("a#g4:0:0", "a", cellPixels(0), 1, "x"));
            s.completePhase(0, RoundPhase.DONE);
            s.beginRound(1);
            s.addLabel(1, RegionLabel.dominant("a#g4:0:1", "a", cellPixels(1), 2, "x"));
            int[] upTo0 = s.labelMask("a", W, H, 0);
            int[] all = s.labelMask("a", W, H);
            assertThat(upTo0[cellPixels(1)[0]]).isEqualTo(LabelSpace.IGNORE);
            assertThat(all[cellPixels(1)[0]]).isEqualTo(2);
            assertThat(all[cellPixels(0)[5]]).isEqualTo(1);
            assertThat(s.labelStats(0).regions()).isEqualTo(1);
            int cell = cellPixels(0).length;
            assertThat(s.labelledClassPixels(0, 0, 3)).containsExactly(0, cell, 0, 0);
            assertThat(s.labelledClassPixels(0, 1, 3)).containsExactly(0, cell, cell, 0);
            assertThat(s.labelledClassPixels(1, 1, 3)).containsExactly(0, 0, cell, 0);
            assertThatThrownBy(() -> s.labelledClassPixels(0, 1, 2)).isInstanceOf(SemiactiveException.class)
                .hasMessage("label 2 of region a#g4:0:1 in project store " + s.file()
                    + " is outside the 2 classes: the store belongs to another label set");
            assertThatThrownBy(() -> s.labelMask("a", W + 1, H)).isInstanceOf(SemiactiveException.class)
                .hasMessage("label mask of a asked at 9x4 but project store " + s.file()
                    + " has the image at 8x4: use the working resolution");
        }
    }

    @Test
    void aRegionIsNeverLabelledTwice() {
        try (ProjectStore s = seeded(dir.resolve("p.db"), java.time.Clock.systemUTC())) {
            s.beginRound(0);
            assertThat(s.addLabel(0, RegionLabel.dominant("a#g4:0:0", "a", cellPixels(0), 1, "x"))).isTrue();
            assertThat(s.addLabel(0, RegionLabel.dominant("a#g4:0:0", "a", cellPixels(0), 2, "y"))).isFalse();
            assertThat(s.labelMask("a", W, H)[0]).isEqualTo(1);
            assertThat(s.labelStats().regions()).isEqualTo(1);
        }
    }

    @Test
    void killedRoundResumesAtItsLastCompletedPhaseWithoutDuplicates() {
        Path f = dir.resolve("p.db");
        try (ProjectStore s = seeded(f, java.time.Clock.systemUTC())) {
            assertThat(s.beginRound(0)).isEqualTo(RoundPhase.STARTED);
            s.completePhase(0, RoundPhase.TRAINED);
            s.completePhase(0, RoundPhase.SCORED);
            s.commitSelection(0, "entropy", List.of(new ProjectStore.NewQuery("a#g4:0:0", 1, 0), new ProjectStore.NewQuery("b#g4:0:1", 0.5, 1)));
            s.addLabels(0, List.of(RegionLabel.dominant("a#g4:0:0", "a", cellPixels(0), 1, "sim")));
            // "killed" here: closed without finishing labelling
        }
        try (ProjectStore s = ProjectStore.open(f)) {
            assertThat(s.beginRound(0)).isEqualTo(RoundPhase.QUERIED);
            assertThat(s.pendingCount(0)).isEqualTo(1);
            // the resumed process re-runs the phases it finds incomplete; repeated writes change nothing
            assertThat(s.commitSelection(0, "entropy", List.of(new ProjectStore.NewQuery("a#g4:0:1", 9, 0)))).isZero();
            assertThat(s.queries(0)).extracting(QueryRecord::regionId).containsExactly("a#g4:0:0", "b#g4:0:1");
            assertThat(s.addLabels(0, List.of(RegionLabel.dominant("a#g4:0:0", "a", cellPixels(0), 1, "sim"),
                RegionLabel.dominant("b#g4:0:1", "b", cellPixels(1), 2, "sim")))).isEqualTo(1);
            s.completePhase(0, RoundPhase.LABELLED);
            s.completePhase(0, RoundPhase.SCORED); // going back is a no-op
            assertThat(s.roundPhase(0)).contains(RoundPhase.LABELLED);
            assertThat(s.labelStats().regions()).isEqualTo(2);
            assertThat(s.phaseTimes(0)).containsKeys(RoundPhase.STARTED, RoundPhase.TRAINED, RoundPhase.SCORED,
                RoundPhase.QUERIED, RoundPhase.LABELLED);
            assertThatThrownBy(() -> s.beginRound(1)).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("round 0").hasMessageContaining("labelled");
            s.completePhase(0, RoundPhase.DONE);
            assertThat(s.beginRound(1)).isEqualTo(RoundPhase.STARTED);
            assertThat(s.latestRound()).hasValue(1);
        }
    }

    @Test
    void aQueryLeaseExpires() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        try (ProjectStore s = seeded(dir.resolve("p.db"), clock)) {
            s.beginRound(0);
            s.commitSelection(0, "entropy", List.of(new ProjectStore.NewQuery("a#g4:0:0", 2, 0), new ProjectStore.NewQuery("a#g4:0:1", 1, 1)));
            QueryRecord first = s.leaseNext("alice", Duration.ofMinutes(5)).orElseThrow();
            assertThat(first.regionId()).isEqualTo("a#g4:0:0");
            assertThat(first.leaseOwner()).isEqualTo("alice");
            assertThat(first.leaseExpiry()).isEqualTo(Instant.parse("2025-01-01T00:05:00Z"));
            clock.advance(Duration.ofMinutes(1));
            assertThat(s.leaseNext("bob", Duration.ofMinutes(5)).orElseThrow().regionId()).isEqualTo("a#g4:0:1");
            assertThat(s.leaseNext("carol", Duration.ofMinutes(5))).isEmpty();
            clock.advance(Duration.ofMinutes(4));
            QueryRecord again = s.leaseNext("carol", Duration.ofMinutes(5)).orElseThrow();
            assertThat(again.regionId()).isEqualTo("a#g4:0:0");
            assertThat(again.leaseOwner()).isEqualTo("carol");
            // alice answers late: the first answer stands, whoever leased it
            assertThat(s.submitAnswer(RegionLabel.dominant("a#g4:0:0", "a", cellPixels(0), 4, "alice"))).isTrue();
            assertThat(s.submitAnswer(RegionLabel.dominant("a#g4:0:0", "a", cellPixels(0), 5, "carol"))).isFalse();
            assertThat(s.queryOf("a#g4:0:0").orElseThrow().status()).isEqualTo(QueryStatus.ANSWERED);
            assertThat(s.queryOf("a#g4:0:0").orElseThrow().leaseOwner()).isNull();
            assertThat(s.releaseLease("a#g4:0:1", "alice")).isFalse();
            assertThat(s.releaseLease("a#g4:0:1", "bob")).isTrue();
            assertThat(s.skipQuery("a#g4:0:1")).isTrue();
            assertThat(s.pendingCount(0)).isZero();
            assertThat(s.leaseNext("dave", Duration.ofMinutes(5))).isEmpty();
        }
    }

    @Test
    void plarAndMetricsRoundTrip() {
        Path f = dir.resolve("p.db");
        int[] refined = new int[W * H];
        Arrays.fill(refined, LabelSpace.IGNORE);
        refined[3] = 1;
        refined[4] = 0;
        BitSet und = new BitSet();
        und.set(10);
        try (ProjectStore s = seeded(f, java.time.Clock.systemUTC())) {
            s.putPlar(new PlarRefinement("a", 1, W, H, refined, und));
            s.putMetrics(1, Map.of("miou", 0.5, "per_class", List.of(0.1, 0.9)));
        }
        try (ProjectStore s = ProjectStore.open(f)) {
            PlarRefinement p = s.plar("a", 1).orElseThrow();
            assertThat(p.refined()).containsExactly(refined);
            assertThat(p.undecided()).isEqualTo(und);
            assertThat(s.plarTotals(1)).containsExactly(1, 2, 1);
            assertThat(s.metrics(1).get("miou").asDouble()).isEqualTo(0.5);
            assertThat(s.metrics(1).get("per_class").get(1).asDouble()).isEqualTo(0.9);
            assertThat(s.plar("b", 1)).isEmpty();
        }
    }

    @Test
    void inconsistentInputsAreRefusedWithOneLine() throws Exception {
        Path f = dir.resolve("p.db");
        try (ProjectStore s = seeded(f, java.time.Clock.systemUTC())) {
            assertThatThrownBy(() -> s.putImages(List.of(new StoredImage("a", "", W + 1, H, ""))))
                .isInstanceOf(SemiactiveException.class).hasMessage("image a is 9x4 but project store " + s.file()
                    + " has it as 8x4: use the same working resolution as when the project was created");
            assertThatThrownBy(() -> s.putRegionMap("zz", "g4", W, H, twoCells(), List.of()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("image zz is not in project store " + s.file() + ": add it with putImages before its regions");
            s.beginRound(0);
            assertThatThrownBy(() -> s.addLabel(0, RegionLabel.dominant("a#nope", "a", cellPixels(0), 1, "x")))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("region a#nope is not in project store " + s.file() + ": store its image's region map first");
            s.addLabel(0, RegionLabel.dominant("a#g4:0:0", "a", cellPixels(0), 1, "x"));
            int[] other = new int[W * H]; // a different partition of an image that has labels
            assertThatThrownBy(() -> s.putRegionMap("a", "g4", W, H, other,
                List.of(new StoredRegion("a#g4:0:0", "a", "g4", 0, 0, 0, W, H, W * H))))
                .isInstanceOf(SemiactiveException.class).hasMessage("image a already has labelled g4 regions in project store "
                    + s.file() + " and its new g4 region map differs: keep the regionizer settings of the project");
            s.putRegionMap("a", "g4", W, H, twoCells(), twoCellRegions("a")); // same map again: fine
        }
        Path notDb = dir.resolve("notes.txt");
        Files.writeString(notDb, "this is not a database, it is a long enough text file to not be sqlite ".repeat(20));
        assertThatThrownBy(() -> ProjectStore.open(notDb)).isInstanceOf(SemiactiveException.class)
            .hasMessageStartingWith("project store " + notDb.toAbsolutePath() + " cannot be opened as an SQLite database (")
            .hasMessageContaining("SQLITE_NOTADB")
            .hasMessageEndingWith("): pick another path or check its permissions").hasMessageNotContaining("\n");
    }

    @Test
    void anSqliteFileOfAnotherProgramIsRefused() throws Exception {
        Path f = dir.resolve("other.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f);
             java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL)");
            st.execute("INSERT INTO invoices(total) VALUES (12.5)");
        }
        assertThatThrownBy(() -> ProjectStore.open(f)).isInstanceOf(SemiactiveException.class)
            .hasMessage("project store " + f.toAbsolutePath() + " is an SQLite file but not a semiactive project: pick another path");
        // the foreign file is left as it was
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f);
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT group_concat(name) FROM sqlite_master WHERE type='table'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("invoices");
        }
    }

    @Test
    void aStoreUnderAFileOrAtAFolderIsRefusedWithTheFix() throws Exception {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        Path under = file.resolve("p.db");
        assertThatThrownBy(() -> ProjectStore.open(under)).isInstanceOf(SemiactiveException.class)
            .hasMessageStartingWith("project store " + under.toAbsolutePath() + ": cannot create its folder (")
            .hasMessageEndingWith("): check the parent folder's permissions or pick another path").hasMessageNotContaining("\n");
        Path folder = Files.createDirectories(dir.resolve("folder.db"));
        assertThatThrownBy(() -> ProjectStore.open(folder)).isInstanceOf(SemiactiveException.class)
            .hasMessageStartingWith("project store " + folder.toAbsolutePath() + " cannot be opened as an SQLite database (")
            .hasMessageEndingWith("): pick another path or check its permissions").hasMessageNotContaining("\n");
    }

    @Test
    void newerSchemaIsRefused() throws Exception {
        Path f = dir.resolve("p.db");
        try (ProjectStore s = ProjectStore.open(f)) {
            s.putMeta("schema_version", "99");
        }
        assertThatThrownBy(() -> ProjectStore.open(f)).isInstanceOf(SemiactiveException.class)
            .hasMessage("project store " + f.toAbsolutePath() + " has schema version 99 but this semiactive reads up to "
                + ProjectStore.SCHEMA_VERSION + ": upgrade semiactive");
    }

    @Test
    void queriesOnlyOncePerRegion() {
        try (ProjectStore s = seeded(dir.resolve("p.db"), java.time.Clock.systemUTC())) {
            s.beginRound(0);
            List<ProjectStore.NewQuery> q = new ArrayList<>(List.of(new ProjectStore.NewQuery("a#g4:0:0", 1, 0)));
            assertThat(s.addQueries(0, "random", q)).isEqualTo(1);
            assertThat(s.addQueries(0, "random", q)).isZero();
            assertThat(s.queriedRegionIds()).containsExactly("a#g4:0:0");
        }
    }
}
