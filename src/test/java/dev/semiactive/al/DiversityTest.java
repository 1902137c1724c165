package dev.semiactive.al;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.semiactive.al.Fixtures.cells;
import static dev.semiactive.al.Fixtures.ids;
import static dev.semiactive.al.Fixtures.twoClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DiversityTest {
    static final ImageRegions A = cells("A"), B = cells("B");
    static final String A0 = "A#g2:0:0", A1 = "A#g2:0:1", A2 = "A#g2:1:0", A3 = "A#g2:1:1";
    static final String B0 = "B#g2:0:0", B1 = "B#g2:0:1", B2 = "B#g2:1:0", B3 = "B#g2:1:1";

    // Entropy ranks A0, A1 (both p0 = 0.5, the id decides), B0 (0.55), A2 (0.6), B1 (0.9), B2 (0.95), then A3, B3.
    // In feature space A0 and A1 are near duplicates far from the labelled B3 at the origin; B0 and A2 lie elsewhere;
    // B1 is the farthest of all but ranks fifth.
    static final PixelEvidence EA = evidence(A, new double[]{0.5, 0.5, 0.6, 0.99}, new float[][]{{5, 0}, {5.1f, 0}, {0, -3}, {0.1f, 0}});
    static final PixelEvidence EB = evidence(B, new double[]{0.55, 0.9, 0.95, 0.99}, new float[][]{{0, 4}, {100, 100}, {0, 0.2f}, {0, 0}});

    static PixelEvidence evidence(ImageRegions r, double[] p0, float[][] features) {
        return PixelEvidence.builder().setImage(r.imageId(), r.width(), r.height())
            .optProbabilities(twoClass(r, p0), 2).optRegionFeatures(features).build();
    }

    static List<Selection> run(Strategy s, SelectionRequest request, PixelEvidence ea, PixelEvidence eb) {
        RoundSelector sel = s.newRound(request);
        sel.accept(ea, A);
        sel.accept(eb, B);
        return sel.select();
    }

    static Strategy entropy(double diversity) {
        return Strategies.byName("entropy", StrategyOptions.defaults(1).withDiversity(diversity));
    }

    @Test
    void thinsTheRankingsTopCandidatesToTheMostSpreadOut() {
        SelectionRequest twoRegions = SelectionRequest.of(8, Set.of(B3));
        // the ranking alone takes the two near duplicates
        assertThat(ids(run(entropy(0), twoRegions, EA, EB))).containsExactly(A0, A1);
        // m = 2: candidates are the best 16 px (A0, A1, B0, A2); k-center from B3 takes A1 (5.1 away), then B0 (4 away;
        // A0 is now 0.1 from A1), never B1, which the ranking left out of the candidates however far it lies
        List<Selection> out = run(entropy(2), twoRegions, EA, EB);
        assertThat(ids(out)).containsExactly(A1, B0);
        assertThat(out.get(0).score()).as("a pick keeps its ranking score").isCloseTo(Math.log(2), within(1e-6));
        assertThat(out).extracting(Selection::rank).containsExactly(0, 1);
        // m = 3 lets B1 in (rank 5 of 24 px): it is farthest from everything and goes first
        assertThat(ids(run(entropy(3), twoRegions, EA, EB))).containsExactly(B1, A1);
        // m = 1: the ranking's own set, in k-center order
        assertThat(ids(run(entropy(1), twoRegions, EA, EB))).containsExactly(A1, A0);
    }

    @Test
    void theLabelledRegionsAreTheCentres() {
        // with A1 labelled, m = 1.5 makes A0, B0 and A2 the candidates (12 px); A0, 0.1 from A1, is worth nothing
        List<Selection> out = run(entropy(1.5), SelectionRequest.of(8, Set.of(B3, A1)), EA, EB);
        assertThat(ids(out)).containsExactly(B0, A2);
    }

    @Test
    void aPerImageQuotaDerivedFromTheWidenedAllowance() {
        // s4al over 2 images, 4 px allowed: alone its quota is ceil(4 / (2 x 4)) = 1 per image and it takes A0
        SelectionRequest one = new SelectionRequest(4, Set.of(B3)::contains, 2);
        Strategy alone = Strategies.byName("s4al", StrategyOptions.defaults(1));
        assertThat(ids(run(alone, one, EA, EB))).containsExactly(A0);
        // m = 4: quota ceil(16 / 8) = 2 per image, so B1 (B's second best) is a candidate and, farthest, the pick;
        // with the unwidened quota of 1 only A0 and B0 would be candidates and A0 would be picked
        Strategy diverse = Strategies.byName("s4al", StrategyOptions.defaults(1).withDiversity(4));
        assertThat(ids(run(diverse, one, EA, EB))).containsExactly(B1);
    }

    @Test
    void withARandomShareTheThinnedPartIsTheStrategys() {
        // half of 16 px to the thinned ranking (A1, B0 as above), the rest to seeded random regions it did not take
        Strategy mixed = Strategies.byName("entropy", StrategyOptions.defaults(1).withDiversity(2).withRandomShare(0.5));
        List<Selection> out = run(mixed, SelectionRequest.of(16, Set.of(B3)), EA, EB);
        assertThat(ids(out).subList(0, 2)).containsExactly(A1, B0);
        assertThat(out).hasSize(4).extracting(s -> s.region().id()).doesNotHaveDuplicates().doesNotContain(B3);
    }

    @Test
    void needsFeaturesAndAScoreRanking() {
        PixelEvidence bare = Fixtures.evidence(A, 0.5, 0.5, 0.6, 0.99);
        RoundSelector sel = entropy(2).newRound(SelectionRequest.of(8, Set.of()));
        assertThatThrownBy(() -> sel.accept(bare, A)).isInstanceOf(IllegalStateException.class)
            .hasMessage("al.diversity needs one pooled feature vector per region of A (4), got none");
        assertThatThrownBy(() -> entropy(0.5)).hasMessageContaining("must be 0 (off) or at least 1");
        assertThatThrownBy(() -> Strategies.byName("coreset", StrategyOptions.defaults(1).withDiversity(2)))
            .isInstanceOf(SemiactiveException.class).hasMessageContaining("strategy 'coreset' has none (it is k-center greedy already)");
        assertThatThrownBy(() -> Strategies.byName("random", StrategyOptions.defaults(1).withDiversity(2)))
            .isInstanceOf(SemiactiveException.class).hasMessageContaining("strategy 'random' has none: use al.diversity with");
    }
}
