package dev.semiactive.al;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetPropertyTest {
    /** Images of 1..12 regions of 1..300 pixels each. */
    @Provide
    Arbitrary<List<List<Integer>>> pools() {
        Arbitrary<List<Integer>> image = Arbitraries.integers().between(1, 300).list().ofMinSize(1).ofMaxSize(12);
        return image.list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 150)
    void noStrategyEverExceedsTheAllowanceOrPicksExcludedOrTwice(
        @ForAll("pools") List<List<Integer>> sizes, @ForAll @IntRange(min = 0, max = 3000) int allowance,
        @ForAll long seed) {
        Random rnd = new Random(seed);
        List<ImageRegions> images = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) images.add(Fixtures.runs("img" + i, sizes.get(i)));
        Set<String> excluded = new HashSet<>();
        for (ImageRegions im : images) for (Region r : im.regions()) if (rnd.nextInt(4) == 0) excluded.add(r.id());
        long eligible = images.stream().flatMap(im -> im.regions().stream())
            .filter(r -> !excluded.contains(r.id()) && r.pixelCount() <= allowance).mapToLong(Region::pixelCount).sum();
        for (String name : Strategies.NAMES) for (double share : new double[]{0, 0.3}) for (double diversity : new double[]{0, 2}) {
            boolean ranked = !name.equals("random") && !name.equals("coreset");
            if (diversity > 0 && !ranked) continue;
            RoundSelector sel = Strategies.byName(name, new StrategyOptions(seed, 0, 1000, share).withDiversity(diversity))
                .newRound(SelectionRequest.of(allowance, excluded).withPoolImages(images.size()));
            List<Candidate> reference = new ArrayList<>();
            for (ImageRegions im : images) {
                PixelEvidence ev = randomEvidence(im, rnd);
                sel.accept(ev, im);
                double[] h = Strategies.meanEntropy(ev, im);
                for (Region r : im.regions()) if (!excluded.contains(r.id())) reference.add(new Candidate(r, h[r.index()], 0));
            }
            List<Selection> out = sel.select();
            if (name.equals("entropy") && share == 0 && diversity == 0) {
                // the streaming top list gives exactly what ranking everything would give
                reference.sort(Candidate.BEST_FIRST);
                assertThat(out).isEqualTo(Candidate.fit(reference, allowance));
            }
            long spent = out.stream().mapToLong(s -> s.region().pixelCount()).sum();
            assertThat(spent).as(name).isLessThanOrEqualTo(allowance);
            assertThat(Fixtures.ids(out)).as(name).doesNotHaveDuplicates().noneMatch(excluded::contains);
            // with a random share the random part fills whatever the strategy left
            boolean quota = (name.equals("s4al") || name.equals("tsf-plar-spread")) && share == 0;
            if (!quota && eligible <= allowance)
                assertThat(spent).as(name + ": everything eligible fits, so everything is taken").isEqualTo(eligible);
            // greedy is maximal: nothing left out would still fit (s4al, tsf-plar-spread: the quota may leave some out;
            // diverse thinning: only the ranking's candidates for twice the allowance are on offer)
            if (!quota && share == 0 && diversity == 0) {
                Set<String> taken = new HashSet<>(Fixtures.ids(out));
                long left = allowance - spent;
                images.stream().flatMap(im -> im.regions().stream())
                    .filter(r -> !excluded.contains(r.id()) && !taken.contains(r.id()))
                    .forEach(r -> assertThat((long) r.pixelCount()).as(name + " left out " + r.id()).isGreaterThan(left));
            }
        }
    }

    @Property(tries = 100)
    void budgetAccountingIsExactAndHard(@ForAll @IntRange(min = 1, max = 100_000) int pool,
                                        @ForAll @IntRange(min = 0, max = 100) int percent, @ForAll long seed) {
        Budget b = Budget.ofFraction(pool, percent / 100.0);
        assertThat(b.limitPixels()).isEqualTo((long) Math.floor(percent / 100.0 * pool));
        Random rnd = new Random(seed);
        Set<String> images = new HashSet<>();
        long regions = 0;
        while (true) {
            long px = 1 + rnd.nextInt(Math.max(1, pool / 10));
            String im = "i" + rnd.nextInt(5);
            if (!b.fits(px)) {
                // refused only because it is too big for what is left, and charging it anyway is refused loudly
                assertThat(b.remainingPixels()).isLessThan(px);
                assertThatThrownBy(() -> b.charge(im, px)).isInstanceOf(IllegalStateException.class)
                        .hasMessage("charging " + px + " px would exceed the budget (" + b.remainingPixels() + " px left)");
                break;
            }
            b.charge(im, px);
            images.add(im);
            regions++;
        }
        assertThat(b.spentPixels()).isLessThanOrEqualTo(b.limitPixels()).isLessThanOrEqualTo((long) Math.floor(percent / 100.0 * pool));
        assertThat(b.regions()).isEqualTo(regions);
        assertThat(b.imagesTouched()).isEqualTo(images.size());
        assertThat(b.allowance(1.0)).isEqualTo(b.remainingPixels());
        assertThat(b.percentSpent()).isEqualTo(100.0 * b.spentPixels() / pool);
    }

    @Test
    void aFewPixelsLeftOfTheBudgetCountAsSpentSoNoRoundTopsThemUp() {
        // CamVid at 240x180 (367 images), 8% in rounds of 1%: whole 16x16 regions left 512 px after round 7
        long pool = 367L * 240 * 180;
        long limit = (long) Math.floor(0.08 * pool);
        assertThat(Budget.isSpent(pool, 0.08, limit - 512, 0.01)).isTrue();
        assertThat(Budget.isSpent(pool, 0.08, limit, 0.01)).isTrue();
        // 1% of a round's 158,544 px is 1585 px: from 1585 px left the budget still buys a round
        assertThat(Budget.isSpent(pool, 0.08, limit - 1584, 0.01)).isTrue();
        assertThat(Budget.isSpent(pool, 0.08, limit - 1585, 0.01)).isFalse();
        assertThat(Budget.isSpent(pool, 0.08, limit - 158_544, 0.01)).isFalse();
        // rounds of nothing (or of everything left): only an exactly spent budget is spent
        assertThat(Budget.isSpent(pool, 0.08, limit - 1, 0.0)).isFalse();
        assertThat(Budget.isSpent(pool, 0.08, limit, 0.0)).isTrue();
        Budget b = Budget.ofFraction(100_000, 0.5);
        b.charge("a", 49_900);
        assertThat(b.isSpent(0.1)).isFalse(); // 100 px left: 1% of a 10,000 px round, not under it
        b.charge("b", 1);
        assertThat(b.isSpent(0.1)).isTrue();
        assertThatThrownBy(() -> b.isSpent(1.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    }

    @Test
    void roundAllowanceIsCappedByWhatIsLeft() {
        Budget b = Budget.ofFraction(10_000, 0.05);
        assertThat(b.limitPixels()).isEqualTo(500);
        assertThat(b.allowance(0.01)).isEqualTo(100);
        b.charge("a", 450);
        assertThat(b.allowance(0.01)).isEqualTo(50);
        assertThat(b.toString()).contains("4.500%").contains("1 regions").contains("1 images");
        assertThatThrownBy(() -> Budget.ofFraction(100, 1.5)).hasMessageContaining("1.5");
    }

    static PixelEvidence randomEvidence(ImageRegions im, Random rnd) {
        int n = im.width() * im.height();
        float[] ent = new float[n];
        float[] mar = new float[n];
        java.util.BitSet und = new java.util.BitSet();
        for (int p = 0; p < n; p++) {
            ent[p] = rnd.nextFloat();
            mar[p] = rnd.nextFloat();
            if (rnd.nextBoolean()) und.set(p);
        }
        float[][] feats = new float[im.size()][3];
        for (float[] f : feats) for (int d = 0; d < 3; d++) f[d] = rnd.nextFloat();
        return PixelEvidence.builder().setImage(im.imageId(), im.width(), im.height()).optEntropy(ent).optMargin(mar)
            .optUndecided(und).optRegionFeatures(feats).build();
    }
}
