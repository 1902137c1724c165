package dev.semiactive.al;

import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.QueryRecord;
import dev.semiactive.store.QueryStatus;
import dev.semiactive.store.RegionLabel;
import dev.semiactive.store.RegionPixels;
import dev.semiactive.store.RoundPhase;
import dev.semiactive.store.StoredImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoundRunnerTest {
    static final int S = 32, CELL = 8, IMAGES = 3;
    static final RegionGrid GRID = new RegionGrid(CELL);

    @TempDir
    Path dir;

    /** Ground truth: random 4x4-pixel blocks of 3 classes, some ignore. */
    static final Map<String, int[]> GT = new HashMap<>();

    static {
        Random rnd = new Random(5);
        for (int i = 0; i < IMAGES; i++) {
            int[] m = new int[S * S];
            for (int p = 0; p < m.length; p++) {
                int block = ((p / S) / 4) * 8 + (p % S) / 4;
                m[p] = new Random(block * 31L + i).nextInt(10) == 0 ? 255 : new Random(block * 17L + i * 7).nextInt(3);
            }
            GT.put("img" + i, m);
        }
    }

    static ProjectStore store(Path f) {
        ProjectStore s = ProjectStore.open(f);
        List<StoredImage> ims = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) ims.add(new StoredImage("img" + i, "", S, S, ""));
        s.putImages(ims);
        return s;
    }

    /** A fake model: per-pixel probabilities that depend on the image, the round and the pixel. */
    static RoundRunner.PoolScorer pool(AtomicInteger calls) {
        return (round, sink) -> {
            calls.incrementAndGet();
            for (int i = 0; i < IMAGES; i++) {
                String id = "img" + i;
                ImageRegions regions = GRID.regionize(id, S, S);
                Random rnd = new Random(round * 1000L + i);
                float[] khw = new float[2 * S * S];
                for (int p = 0; p < S * S; p++) {
                    float v = rnd.nextFloat();
                    khw[p] = v;
                    khw[S * S + p] = 1 - v;
                }
                sink.accept(regions, PixelEvidence.builder().setImage(id, S, S).optProbabilities(khw, 2).build());
            }
        };
    }

    static RoundRunner runner(ProjectStore s, Oracle oracle, AtomicInteger scoreCalls, AtomicInteger trainCalls) {
        return RoundRunner.builder().setStore(s).setStrategy(Strategies.byName("entropy", 3)).setOracle(oracle)
            .setPool(pool(scoreCalls)).optTrainer(r -> trainCalls.incrementAndGet()).optSeed(3)
            .optBudget(0.5, 0.0625, 0.125) // pool 3072 px: round 0 -> 192 px (3 cells), later rounds 384 px (6 cells)
            .optEvaluator(r -> Map.of("miou", 0.1 * r)).optClassNames(List.of("a", "b", "c")).build();
    }

    static SimulatedOracle oracle() {
        return new SimulatedOracle(GT::get, SimulatedOracle.Mode.ALL_PIXELS);
    }

    @Test
    void roundsLabelWithinBudgetNeverTwiceAndMasksComeFromTheStore() {
        AtomicInteger scored = new AtomicInteger(), trained = new AtomicInteger();
        try (ProjectStore s = store(dir.resolve("p.db"))) {
            RoundRunner rr = runner(s, oracle(), scored, trained);
            Set<String> seen = new HashSet<>();
            for (int round = 0; round < 4; round++) {
                assertThat(rr.run(round)).isEqualTo(RoundPhase.DONE);
                List<QueryRecord> q = s.queries(round);
                assertThat(q).hasSize(round == 0 ? 3 : 6).allMatch(x -> x.status() == QueryStatus.ANSWERED);
                for (QueryRecord x : q) assertThat(seen.add(x.regionId())).as("asked twice: " + x.regionId()).isTrue();
                assertThat(q.get(0).strategy()).isEqualTo(round == 0 ? "random" : "entropy");
                assertThat(s.metrics(round).get("round_pixels").asLong()).isEqualTo(round == 0 ? 192 : 384);
                assertThat(s.metrics(round).get("miou").asDouble()).isEqualTo(0.1 * round);
                // what the round labelled per class, void last: the ground truth of its own queried regions
                long[] expected = new long[4];
                for (QueryRecord x : q)
                    for (int p : s.regionPixels(x.regionId()).pixels()) {
                        int v = GT.get(RegionIds.imageIdOf(x.regionId()))[p];
                        expected[v == 255 ? 3 : v]++;
                    }
                var perClass = s.metrics(round).get(RoundRunner.ROUND_CLASS_PIXELS);
                assertThat(perClass).hasSize(4);
                List<String> keys = new ArrayList<>();
                perClass.fieldNames().forEachRemaining(keys::add);
                assertThat(keys).containsExactly("a", "b", "c", RoundRunner.VOID);
                for (int c = 0; c < 4; c++) assertThat(perClass.get(keys.get(c)).asLong()).as("class " + c).isEqualTo(expected[c]);
            }
            assertThat(s.labelledClassPixels(0, 3, 3)).containsExactly(java.util.stream.IntStream.range(0, 4).mapToLong(c -> {
                long n = 0;
                for (int r = 0; r <= 3; r++) n += s.metrics(r).get(RoundRunner.ROUND_CLASS_PIXELS).get(List.of("a", "b", "c", "void").get(c)).asLong();
                return n;
            }).toArray());
            assertThat(java.util.Arrays.stream(s.labelledClassPixels(0, 3, 3)).sum()).isEqualTo(192 + 3 * 384);
            assertThat(trained.get()).isEqualTo(3); // round 0 does not train
            assertThat(s.labelStats().pixels()).isEqualTo(192 + 3 * 384);
            assertThat(s.metrics(3).get("labelled_percent").asDouble()).isEqualTo(100.0 * (192 + 3 * 384) / 3072);
            assertThat(s.metrics(3).get("images_touched").asLong()).isEqualTo(s.labelStats().imagesTouched());
            // the derived label mask is the ground truth on labelled regions and ignore elsewhere
            for (int i = 0; i < IMAGES; i++) {
                String id = "img" + i;
                int[] mask = s.labelMask(id, S, S);
                Set<Integer> labelledPx = new HashSet<>();
                for (String rid : seen)
                    if (RegionIds.imageIdOf(rid).equals(id)) for (int p : s.regionPixels(rid).pixels()) labelledPx.add(p);
                for (int p = 0; p < S * S; p++) assertThat(mask[p]).isEqualTo(labelledPx.contains(p) ? GT.get(id)[p] : 255);
            }
            // running a finished round again does nothing
            assertThat(rr.run(3)).isEqualTo(RoundPhase.DONE);
            assertThat(s.labelStats().regions()).isEqualTo(seen.size());
        }
    }

    @Test
    void theBudgetRunsOutAndLaterRoundsSelectNothing() {
        AtomicInteger n = new AtomicInteger();
        try (ProjectStore s = store(dir.resolve("p.db"))) {
            RoundRunner rr = RoundRunner.builder().setStore(s).setStrategy(Strategies.byName("margin", 1)).setOracle(oracle())
                .setPool(pool(n)).optBudget(0.1, 0.05, 0.04).build(); // limit 307 px; rounds get 153 (2 cells), 122, 115 (1 cell each), 51 px (none)
            for (int r = 0; r < 4; r++) rr.run(r);
            assertThat(s.labelStats().pixels()).isLessThanOrEqualTo(307).isEqualTo(4 * 64);
            assertThat(s.queries(3)).isEmpty();
        }
    }

    @Test
    void aRoundKilledWhileLabellingResumesWithoutDuplicates() {
        Path f = dir.resolve("p.db");
        AtomicInteger scored = new AtomicInteger(), trained = new AtomicInteger();
        try (ProjectStore s = store(f)) {
            runner(s, oracle(), scored, trained).run(0);
        }
        int scoredBefore = scored.get();
        // round 1: the oracle "dies" on the second image it is asked about
        AtomicInteger images = new AtomicInteger();
        Oracle dying = new Oracle() {
            final SimulatedOracle inner = oracle();

            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public List<OracleAnswer> answer(List<RegionPixels> queries) {
                if (images.incrementAndGet() == 2) throw new IllegalStateException("killed");
                return inner.answer(queries);
            }
        };
        List<String> queried;
        try (ProjectStore s = store(f)) {
            assertThatThrownBy(() -> runner(s, dying, scored, trained).run(1)).hasMessage("killed");
            queried = s.queries(1).stream().map(QueryRecord::regionId).toList();
            assertThat(s.pendingCount(1)).isBetween(1, queried.size() - 1);
        }
        try (ProjectStore s = store(f)) {
            assertThat(s.roundPhase(1)).contains(RoundPhase.QUERIED);
            int trainedBefore = trained.get();
            assertThat(runner(s, oracle(), scored, trained).run(1)).isEqualTo(RoundPhase.DONE);
            assertThat(trained.get()).isEqualTo(trainedBefore); // training was already done
            assertThat(scored.get()).isEqualTo(scoredBefore + 1); // scored once in round 1, not again on resume
            assertThat(s.queries(1)).extracting(QueryRecord::regionId).containsExactlyElementsOf(queried);
            assertThat(s.labels(1)).hasSize(queried.size());
            assertThat(s.labelStats().regions()).isEqualTo(3 + queried.size());
        }
    }

    @Test
    void aRoundKilledWhileScoringSelectsTheSameRegionsWhenRerun() {
        Path killed = dir.resolve("killed.db"), clean = dir.resolve("clean.db");
        AtomicInteger n = new AtomicInteger();
        try (ProjectStore s = store(clean)) {
            RoundRunner rr = runner(s, oracle(), n, n);
            rr.run(0);
            rr.run(1);
        }
        try (ProjectStore s = store(killed)) {
            runner(s, oracle(), n, n).run(0);
            RoundRunner dies = RoundRunner.builder().setStore(s).setStrategy(Strategies.byName("entropy", 3)).setOracle(oracle())
                .setPool((round, sink) -> {
                    pool(n).score(round, (r, e) -> {
                        if (r.imageId().equals("img2")) throw new IllegalStateException("killed");
                        sink.accept(r, e);
                    });
                }).optBudget(0.5, 0.0625, 0.125).build();
            assertThatThrownBy(() -> dies.run(1)).hasMessage("killed");
            assertThat(s.roundPhase(1)).contains(RoundPhase.TRAINED);
            assertThat(s.queries(1)).isEmpty();
            runner(s, oracle(), n, n).run(1);
            try (ProjectStore c = ProjectStore.open(clean)) {
                assertThat(s.queries(1)).extracting(QueryRecord::regionId)
                    .containsExactlyElementsOf(c.queries(1).stream().map(QueryRecord::regionId).toList());
            }
        }
    }

    @Test
    void humanOracleWaitsForAnswersThroughTheStore() {
        AtomicInteger n = new AtomicInteger();
        try (ProjectStore s = store(dir.resolve("p.db"))) {
            RoundRunner rr = runner(s, new HumanOracle(s), n, n);
            assertThat(rr.run(0)).isEqualTo(RoundPhase.QUERIED);
            assertThat(s.pendingCount(0)).isEqualTo(3);
            assertThat(rr.run(0)).isEqualTo(RoundPhase.QUERIED); // nothing answered yet
            // the web UI: lease, answer
            for (int i = 0; i < 3; i++) {
                QueryRecord q = s.leaseNext("ann", java.time.Duration.ofMinutes(10)).orElseThrow();
                RegionPixels px = s.regionPixels(q.regionId());
                assertThat(s.submitAnswer(RegionLabel.dominant(q.regionId(), px.imageId(), px.pixels(), 2, "ann"))).isTrue();
            }
            assertThat(rr.run(0)).isEqualTo(RoundPhase.DONE);
            assertThat(s.labels(0)).extracting(RegionLabel::labelledBy).containsOnly("ann");
            assertThat(s.labelStats().regions()).isEqualTo(3);
        }
    }
}
