package dev.semiactive.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ClassWeightsTest {
    @Test
    void inverseSquareRootOfFrequencyScaledToAMeanOfOne() {
        // frequencies 0.64, 0.32, 0.04 (class 3 absent): raw f^-0.5 = 1.25, 1.768, 5; mean over pixels
        // 0.64*1.25 + 0.32*1.768 + 0.04*5 = 1.5657
        float[] w = ClassWeights.fromCounts(new long[]{640, 320, 40, 0}, 0.5).weights();
        double mean = 0.64 * 1.25 + 0.32 * Math.sqrt(1 / 0.32) + 0.04 * 5;
        assertThat(w[0]).isCloseTo((float) (1.25 / mean), within(1e-5f));
        assertThat(w[1]).isCloseTo((float) (Math.sqrt(1 / 0.32) / mean), within(1e-5f));
        assertThat(w[2]).isCloseTo((float) (5 / mean), within(1e-5f));
        assertThat(w[3]).as("a class with no labelled pixel is never a target").isZero();
    }

    @Test
    void powerZeroWeighsEveryLabelledClassOne() {
        assertThat(ClassWeights.fromCounts(new long[]{5, 0, 100}, 0).weights()).containsExactly(1f, 0f, 1f);
    }

    @Test
    void aRareClassIsCappedAndNoCountsGiveZeros() {
        float[] w = ClassWeights.fromCounts(new long[]{1_000_000, 1}, 1.0).weights();
        assertThat(w[1]).isEqualTo((float) ClassWeights.MAX_WEIGHT);
        assertThat(ClassWeights.fromCounts(new long[]{0, 0}, 0.5).weights()).containsExactly(0f, 0f);
    }

    @Test
    void refusesAPowerOutsideZeroToOneAndNegativeCounts() {
        assertThatThrownBy(() -> ClassWeights.fromCounts(new long[]{1, 2}, 1.5)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> ClassWeights.fromCounts(new long[]{1, -2}, 0.5)).hasMessageContaining("negative class count");
    }

    /** Uncapped, the labelled pixels' mean weight is 1 (the loss keeps its scale) and rarer classes weigh more. */
    @Property(tries = 200)
    void meanWeightOverLabelledPixelsIsOneAndRarerWeighsMore(
            @ForAll @Size(min = 2, max = 12) List<@LongRange(min = 1000, max = 50_000) Long> counts,
            @ForAll @DoubleRange(min = 0, max = 0.5) double power) {
        long[] c = counts.stream().mapToLong(Long::longValue).toArray();
        float[] w = ClassWeights.fromCounts(c, power).weights();
        long total = 0;
        for (long v : c) total += v;
        double mean = 0;
        for (int i = 0; i < c.length; i++) mean += (double) c[i] / total * w[i];
        // counts within 50x of each other, at most 12 classes, power <= 0.5: no weight reaches the cap (float weights: 1e-3)
        assertThat(mean).isCloseTo(1.0, within(1e-3));
        for (int i = 0; i < c.length; i++)
            for (int j = 0; j < c.length; j++)
                if (c[i] < c[j]) assertThat(w[i]).isGreaterThanOrEqualTo(w[j]);
    }

    @Test
    void pixelWeightsLookUpEachTargetsClassAndZeroIgnored() {
        ClassWeights cw = ClassWeights.fromCounts(new long[]{300, 100}, 1.0);
        float[] w = cw.weights();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray targets = m.create(new int[]{0, 1, 255, 1, 0, 0}, new Shape(1, 2, 3));
            NDArray pw = cw.pixelWeights(targets);
            assertThat(pw.getShape()).isEqualTo(new Shape(1, 2, 3));
            assertThat(pw.toFloatArray()).containsExactly(w[0], w[1], 0f, w[1], w[0], w[0]);
            // with the weights, the loss over these targets is the class-weighted mean of the pixels' losses
            // class 0's logit ln 3, class 1's 0: a class-0 pixel costs ln(4/3), a class-1 pixel ln 4, so weights that were
            // ignored or swapped would give another mean (three class-0 pixels, two class-1, one ignored)
            float ln3 = (float) Math.log(3);
            NDArray logits = m.create(new float[]{ln3, ln3, ln3, ln3, ln3, ln3, 0, 0, 0, 0, 0, 0}, new Shape(1, 2, 2, 3));
            double expected = (3 * w[0] * Math.log(4 / 3.0) + 2 * w[1] * Math.log(4)) / (3 * w[0] + 2 * w[1]);
            assertThat(w[0]).isCloseTo(2 / 3f, within(1e-6f));
            assertThat(w[1]).isCloseTo(2f, within(1e-6f));
            assertThat(Losses.crossEntropy(logits, targets, pw).lossValue()).isCloseTo((float) expected, within(1e-5f));
            assertThat(expected).isCloseTo(1.020090, org.assertj.core.data.Offset.offset(1e-6));
            assertThatThrownBy(() -> cw.pixelWeights(m.create(new int[]{0, 2}, new Shape(1, 1, 2))))
                    .hasMessageContaining("outside the 2 weighted classes");
        }
    }

    @Test
    void weightsComeFromTheLabelledMasks() {
        SyntheticData.InMemory data = SyntheticData.scenes(4, 16, 7);
        long[] counts = new long[3];
        for (String id : data.ids())
            for (int v : data.load(id).mask()) if (v != 255) counts[v]++;
        assertThat(ClassWeights.fromLabelled(data, 0.5).weights()).containsExactly(ClassWeights.fromCounts(counts, 0.5).weights());
    }
}
