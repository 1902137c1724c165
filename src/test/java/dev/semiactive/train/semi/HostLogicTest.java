package dev.semiactive.train.semi;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.Augmentations.Box;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.train.HostBatch;
import dev.semiactive.train.Normalization;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The host-side parts of a step: pseudo-label composition, EMD targets, CutMix plans, views, overrides. */
class HostLogicTest {
    private static final int X = LabelSpace.IGNORE;

    @Test
    void pseudoLabelsKeepConfidentUnflaggedPixelsAndRefinedOnes() {
        int[] pred = {0, 1, 2, 1, 3, 2};
        float[] conf = {0.9f, 0.5f, 0.8f, 0.95f, 0.7f, 0.2f};
        float[] emd = {0.1f, 0.1f, 0.6f, 0.5f, 0.4f, 0.9f};
        int[] refined = {X, X, X, X, X, 1};
        PseudoLabels p = PseudoLabels.compose(pred, conf, emd, 0.7, refined);
        // 0: ok; 1: low confidence; 2: EMD flags (0.6 > 0.5); 3: 0.5 is not above 0.5 -> ok; 4: conf == tau -> ok;
        // 5: low confidence and flagged, but refined to 1
        assertThat(p.targets()).containsExactly(0, X, X, 1, 3, 1);
        assertThat(p.pixels()).isEqualTo(6);
        assertThat(p.reliable()).isEqualTo(3);
        assertThat(p.lowConfidence()).isEqualTo(2);
        assertThat(p.emdFlagged()).isEqualTo(2);
        assertThat(p.refined()).isEqualTo(1);
        assertThat(p.reliableRatio()).isEqualTo(0.5);

        PseudoLabels noEmd = PseudoLabels.compose(pred, conf, null, 0.7, null);
        assertThat(noEmd.targets()).containsExactly(0, X, 2, 1, 3, X);
        assertThat(noEmd.emdFlagged()).isZero();
        assertThatThrownBy(() -> PseudoLabels.compose(pred, new float[2], null, 0.7, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must have one value per pixel");
    }

    @Test
    void errorTargetsMarkWhereTheTeacherIsWrongOnLabelledPixels() {
        int[] pred = {0, 1, 2, 1, 0, 2};
        int[] labels = {0, 2, X, 1, 1, 2};
        ErrorTargets t = ErrorTargets.of(pred, labels);
        assertThat(t.target()).containsExactly(0, 1, 0, 0, 1, 0);
        assertThat(t.keep()).containsExactly(1, 1, 0, 1, 1, 1);
        assertThat(t.positives()).isEqualTo(2);
        assertThat(t.negatives()).isEqualTo(3);
        assertThat(t.posWeight(null, 100)).isEqualTo(1.5f);
        assertThat(t.posWeight(4.0, 100)).isEqualTo(4f);

        ErrorTargets rare = ErrorTargets.of(new int[] {0, 0, 0, 0, 0}, new int[] {0, 0, 0, 0, 1});
        assertThat(rare.posWeight(null, 100)).isEqualTo(4f);
        assertThat(rare.posWeight(null, 2)).as("clipped to the maximum").isEqualTo(2f);
        ErrorTargets mostlyWrong = ErrorTargets.of(new int[] {1, 1, 1}, new int[] {0, 0, 1});
        assertThat(mostlyWrong.posWeight(null, 100)).as("never below 1").isEqualTo(1f);
        assertThat(ErrorTargets.of(new int[] {0}, new int[] {0}).posWeight(null, 100)).as("no error").isEqualTo(1f);

        // flags (> 0.5): pixel 0 fp, 1 tp, 2 not labelled, 4 fn
        long[] c = t.confusion(new float[] {0.9f, 0.8f, 0.9f, 0.2f, 0.5f, 0.1f});
        assertThat(c).containsExactly(1, 1, 1);
    }

    @Test
    void cutMixPlansPairDistinctImagesAndMixImagesAndMasksAlike() {
        int n = 4, h = 6, w = 5, c = 2;
        CutMixPlan plan = CutMixPlan.draw(n, h, w, SemiFixtures.cutMix(), new SplittableRandom(3));
        assertThat(plan.mixedCount()).as("probability 1").isEqualTo(n);
        float[] images = new float[n * c * h * w];
        int[] masks = new int[n * h * w];
        for (int i = 0; i < n; i++) {
            Arrays.fill(images, i * c * h * w, (i + 1) * c * h * w, i);
            Arrays.fill(masks, i * h * w, (i + 1) * h * w, 10 + i);
        }
        float[] mixedImages = plan.applyImages(images, c);
        int[] mixedMasks = plan.applyMasks(masks);
        for (int i = 0; i < n; i++) {
            int j = plan.partner(i);
            Box box = plan.box(i);
            assertThat(j).isNotEqualTo(i).isBetween(0, n - 1);
            assertThat(box.x() + box.width()).isLessThanOrEqualTo(w);
            assertThat(box.y() + box.height()).isLessThanOrEqualTo(h);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int source = box.contains(x, y) ? j : i;
                    assertThat(mixedMasks[i * h * w + y * w + x]).isEqualTo(10 + source);
                    for (int ch = 0; ch < c; ch++)
                        assertThat(mixedImages[i * c * h * w + ch * h * w + y * w + x]).isEqualTo(source);
                }
        }
        assertThat(masks[0]).as("inputs untouched").isEqualTo(10);
        CutMixPlan again = CutMixPlan.draw(n, h, w, SemiFixtures.cutMix(), new SplittableRandom(3));
        assertThat(again.applyMasks(masks)).as("seeded").isEqualTo(mixedMasks);
        assertThat(CutMixPlan.draw(1, h, w, SemiFixtures.cutMix(), new SplittableRandom(3)).mixedCount())
                .as("a single image has no partner").isZero();
    }

    @Test
    void unlabelledViewsNormaliseTheWeakViewAndPerturbAndMixTheStrongOne() {
        int n = 3, c = 3, h = 8, w = 8, per = c * h * w;
        float[] raw = new float[n * per];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < raw.length; i++) raw[i] = (float) r.nextDouble();
        HostBatch batch = new HostBatch(List.of("a", "b", "c"), c, h, w, raw, null);
        Normalization norm = Normalization.defaults(3);
        UnlabelledViews v = UnlabelledViews.of(batch, (s, rng) -> {
            float[] img = s.image().clone();
            for (int i = 0; i < img.length; i++) img[i] = 1 - img[i]; // a visible "photometric" change
            return new Sample(s.id(), s.channels(), s.height(), s.width(), img, s.mask());
        }, SemiFixtures.cutMix(), norm, new SplittableRandom(5));
        float[] expectedWeak = new float[n * per];
        for (int i = 0; i < n; i++)
            norm.apply(Arrays.copyOfRange(raw, i * per, (i + 1) * per), c, h * w, expectedWeak, i * per);
        assertThat(v.weak()).containsExactly(expectedWeak);
        // the strong view: inverted images, each with its partner's box pasted
        CutMixPlan plan = v.plan();
        for (int i = 0; i < n; i++) {
            Box box = plan.box(i);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int src = box.contains(x, y) ? plan.partner(i) : i;
                    float inverted = 1 - raw[src * per + h * w + y * w + x]; // channel 1
                    float normalised = (inverted - norm.mean()[1]) / norm.std()[1];
                    assertThat(v.strong()[i * per + h * w + y * w + x]).isCloseTo(normalised, within(1e-5f));
                }
        }
        assertThat(v.refined()).isNull();
        UnlabelledViews none = UnlabelledViews.of(batch, (s, rng) -> s, null, norm, new SplittableRandom(5));
        assertThat(none.plan().mixedCount()).isZero();
        assertThat(none.strong()).containsExactly(none.weak());
    }

    @Test
    void overridesTravelAsMasksAndMustMatchTheImageSize() {
        SegmentationDataset base = SemiFixtures.data(4, 16, 0.5).unlabelled();
        String id = base.ids().get(0), other = base.ids().get(1);
        int[] refined = new int[16 * 16];
        Arrays.fill(refined, X);
        refined[5] = 2;
        SegmentationDataset view = PseudoLabelOverrides.attach(base, i -> i.equals(id) ? refined : null);
        assertThat(view.ids()).isEqualTo(base.ids());
        assertThat(view.load(id).mask()).isEqualTo(refined);
        assertThat(view.load(id).image()).isEqualTo(base.load(id).image());
        assertThat(view.load(other).mask()).isNull();
        SegmentationDataset wrong = PseudoLabelOverrides.attach(base, i -> new int[7]);
        assertThatThrownBy(() -> wrong.load(id)).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("refined labels of unlabelled image " + id + " hold 7 pixels but the image is 16x16");
    }

    @Test
    void termsNameTheAblationsAndRefuseImpossibleOnes() {
        assertThat(Terms.meanTeacher().methodName()).isEqualTo("mean-teacher");
        assertThat(Terms.cps().methodName()).isEqualTo("cps");
        assertThat(Terms.tsf(true).methodName()).isEqualTo("tsf");
        assertThat(Terms.tsf(false).methodName()).isEqualTo("tsf");
        assertThatThrownBy(() -> new Terms(false, false, false)).hasMessageContaining("needs the teacher-student term, the CPS term or both");
        assertThatThrownBy(() -> new Terms(false, true, true)).hasMessageContaining("needs the teacher-student term");
    }
}
