package dev.semiactive.train.semi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.semiactive.data.DataOptions;
import dev.semiactive.data.Datasets;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.data.Sample;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DistributionAlignmentTest {
    @Test
    void thePriorIsTheClassFrequencyOfTheLabelledPixels() {
        SegmentationDataset data = Datasets.synthetic("train", DataOptions.builder().optSeed(5).optSynthetic(3, 16, 16, 4).build());
        long[] counts = new long[4];
        long total = 0;
        for (String id : data.ids()) {
            Sample s = data.load(id);
            for (int v : s.mask()) if (v < 4) {
                counts[v]++;
                total++;
            }
        }
        double[] prior = DistributionAlignment.fromLabelled(data).prior();
        for (int c = 0; c < 4; c++) assertThat(prior[c]).isCloseTo((double) counts[c] / total, within(1e-12));
    }

    @Test
    void anUnderPredictedClassGainsAndTheProbabilitiesStillSumToOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            DistributionAlignment da = new DistributionAlignment(new double[] {0.5, 0.5});
            // two pixels; the Teacher gives class 1 a mean probability of 0.2 where the labels say 0.5
            NDArray p = m.create(new float[] {0.9f, 0.7f, 0.1f, 0.3f}, new Shape(1, 2, 1, 2));
            float[] aligned = da.align(p).toFloatArray();
            // ratio: class 0 0.5/0.8, class 1 0.5/0.2; pixel 0: (0.5625, 0.25) -> (0.692, 0.308)
            assertThat(aligned[2]).isCloseTo(0.25f / (0.5625f + 0.25f), within(1e-5f));
            assertThat(aligned[3]).isCloseTo(0.75f / (0.4375f + 0.75f), within(1e-5f));
            assertThat(aligned[0] + aligned[2]).isCloseTo(1f, within(1e-6f));
            assertThat(aligned[1] + aligned[3]).isCloseTo(1f, within(1e-6f));
            assertThat(aligned[3]).as("the argmax of pixel 1 moves to the under-predicted class").isGreaterThan(aligned[1]);
        }
    }

    @Test
    void aTeacherThatMatchesThePriorIsLeftAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            DistributionAlignment da = new DistributionAlignment(new double[] {0.75, 0.25});
            float[] v = {0.9f, 0.6f, 0.1f, 0.4f};
            float[] aligned = da.align(m.create(v, new Shape(1, 2, 1, 2))).toFloatArray();
            assertThat(aligned).containsExactly(v, within(1e-6f));
        }
    }

    @Test
    void theMovingMeanDecaysTowardsNewBatches() {
        DistributionAlignment da = new DistributionAlignment(new double[] {0.5, 0.5});
        da.update(new float[] {1f, 0f});
        da.update(new float[] {0f, 1f});
        float[] r = da.ratio();
        assertThat(r[0]).isCloseTo((float) (0.5 / 0.99), within(1e-6f));
        assertThat(r[1]).isCloseTo((float) (0.5 / 0.01), within(1e-3f));
    }

    @Test
    void aClassCountMismatchIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            DistributionAlignment da = new DistributionAlignment(new double[] {0.5, 0.25, 0.25});
            assertThatThrownBy(() -> da.align(m.create(new float[] {0.5f, 0.5f}, new Shape(1, 2, 1, 1))))
                    .hasMessageContaining("2 classes").hasMessageContaining("3");
        }
    }
}
