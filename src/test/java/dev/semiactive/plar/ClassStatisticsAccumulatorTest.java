package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ClassStatisticsAccumulatorTest {
    private static final GaussianClusters CLUSTERS = GaussianClusters.separated(3, 4, 10, 1);

    private static List<GaussianClusters.Image> images(int count, int h, int w, long seed) {
        Random r = new Random(seed);
        List<GaussianClusters.Image> list = new ArrayList<>();
        for (int i = 0; i < count; i++) list.add(CLUSTERS.image(h, w, r));
        return list;
    }

    private static ClassStatisticsAccumulator feed(List<GaussianClusters.Image> images, int maxSamples, long seed) {
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(3)
                .optMaxSamplesPerClass(maxSamples).optSeed(seed).build();
        for (GaussianClusters.Image im : images) acc.add(im.features(), im.truth());
        return acc;
    }

    @Test
    void reservoirKeepsAtMostNPerClassAndCountsEverything() {
        List<GaussianClusters.Image> imgs = images(20, 8, 8, 1);
        ClassStatisticsAccumulator acc = feed(imgs, 50, 7);
        long[] truthCounts = new long[3];
        for (GaussianClusters.Image im : imgs) for (int t : im.truth()) truthCounts[t]++;
        for (int c = 0; c < 3; c++) {
            assertThat(acc.storedSamples(c)).isEqualTo(50);
            assertThat(acc.seenPixels(c)).isEqualTo(truthCounts[c]);
            assertThat(acc.samples(c)).hasSize(50 * 4);
        }
        assertThat(acc.images()).isEqualTo(20);
        ClassStatistics s = acc.build();
        assertThat(s.sampleCount(0)).isEqualTo(50);
        assertThat(s.seenCount(0)).isEqualTo(truthCounts[0]);
    }

    @Test
    void samplingIsDeterministicGivenTheSeed() {
        List<GaussianClusters.Image> imgs = images(10, 8, 8, 2);
        ClassStatisticsAccumulator a = feed(imgs, 30, 42), b = feed(imgs, 30, 42), other = feed(imgs, 30, 43);
        for (int c = 0; c < 3; c++) assertThat(a.samples(c)).containsExactly(b.samples(c));
        assertThat(a.samples(0)).isNotEqualTo(other.samples(0));
        assertThat(a.build().mean(1)).containsExactly(b.build().mean(1));
    }

    @Test
    void reservoirIsUniformOverPixels() {
        // 50 pixels of one class, N = 10: each pixel must be kept with probability 1/5 over many seeds.
        int pixels = 50, n = 10, seeds = 400;
        float[] data = new float[pixels];
        for (int p = 0; p < pixels; p++) data[p] = p;
        FeatureMap f = new FeatureMap(1, 5, 10, data);
        int[] kept = new int[pixels];
        for (int seed = 0; seed < seeds; seed++) {
            ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(1)
                    .optMaxSamplesPerClass(n).optSeed(seed).build();
            acc.add(f, new int[pixels]);
            for (float v : acc.samples(0)) kept[(int) v]++;
        }
        // Binomial(400, 0.2): mean 80, sd 8; 5 sd either side.
        for (int p = 0; p < pixels; p++) assertThat(kept[p]).as("pixel %d", p).isBetween(40, 120);
        // Later pixels are not favoured: first and second halves are kept about equally often.
        int first = 0, second = 0;
        for (int p = 0; p < pixels; p++) if (p < 25) first += kept[p]; else second += kept[p];
        assertThat(Math.abs(first - second)).isLessThan(200);
    }

    @Test
    void exactStatisticsDoNotDependOnImageOrderWhenEverythingFits() {
        List<GaussianClusters.Image> imgs = images(12, 6, 6, 3);
        ClassStatistics forward = feed(imgs, 1000, 1).build();
        List<GaussianClusters.Image> shuffled = new ArrayList<>(imgs);
        Collections.shuffle(shuffled, new Random(9));
        ClassStatistics reordered = feed(shuffled, 1000, 99).build();
        for (int c = 0; c < 3; c++) {
            assertThat(reordered.sampleCount(c)).isEqualTo(forward.sampleCount(c));
            assertThat(reordered.mean(c)).containsExactly(forward.mean(c), within(1e-9));
            assertThat(reordered.covariance(c)).containsExactly(forward.covariance(c), within(1e-9));
        }
    }

    @Test
    void memoryStaysBoundedOverTenThousandImages() {
        int maxSamples = 200;
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(3)
                .optMaxSamplesPerClass(maxSamples).optSeed(5).build();
        Random r = new Random(5);
        // Reuse a handful of images: the point is the pixel count fed, not the data.
        List<GaussianClusters.Image> pool = images(16, 8, 8, 6);
        long fed = 0;
        for (int i = 0; i < 10_000; i++) {
            GaussianClusters.Image im = pool.get(r.nextInt(pool.size()));
            acc.add(im.features(), im.truth());
            fed += im.truth().length;
            if (i % 1000 == 999) {
                assertThat(acc.totalStoredSamples()).isLessThanOrEqualTo(3L * maxSamples);
                assertThat(acc.allocatedFloats()).isLessThanOrEqualTo(3L * maxSamples * 4);
            }
        }
        assertThat(acc.images()).isEqualTo(10_000);
        assertThat(acc.seenPixels(0) + acc.seenPixels(1) + acc.seenPixels(2)).isEqualTo(fed);
        assertThat(acc.totalStoredSamples()).isEqualTo(3L * maxSamples);
        ClassStatistics s = acc.build();
        for (int c = 0; c < 3; c++) assertThat(s.mean(c)[c]).isCloseTo(10, within(0.5));
    }

    @Test
    void ignorePixelsAreSkipped() {
        GaussianClusters.Image im = images(1, 4, 4, 7).get(0);
        int[] labels = im.truth().clone();
        for (int p = 0; p < labels.length; p += 2) labels[p] = 255;
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(3).build();
        acc.add(im.features(), labels);
        assertThat(acc.seenPixels(0) + acc.seenPixels(1) + acc.seenPixels(2)).isEqualTo(8);
    }

    @Test
    void badInputIsRejectedWithOneLineAndLeavesStateUntouched() {
        ClassStatisticsAccumulator acc = ClassStatisticsAccumulator.builder().setNumClasses(3).build();
        assertThatThrownBy(acc::build).isInstanceOf(SemiactiveException.class).hasMessageContaining("no image was added");
        GaussianClusters.Image im = images(1, 4, 4, 8).get(0);
        assertThatThrownBy(() -> acc.add(im.features(), new int[15])).isInstanceOf(SemiactiveException.class)
                .hasMessage("label mask has 15 values but the feature map is 4x4 (16 pixels): bring it to feature resolution with MaskResampling first");
        int[] bad = im.truth().clone();
        bad[5] = 3;
        assertThatThrownBy(() -> acc.add(im.features(), bad)).isInstanceOf(SemiactiveException.class)
                .hasMessage("label 3 at feature pixel 5 is outside the 3 classes: labels must be 0..2 or 255 for unlabelled");
        float[] nan = im.features().data().clone();
        nan[4 * 16 - 1] = Float.NaN;
        assertThatThrownBy(() -> acc.add(new FeatureMap(4, 4, 4, nan), im.truth()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThat(acc.totalStoredSamples()).isZero();
        assertThat(acc.seenPixels(0)).isZero();
        acc.add(im.features(), im.truth());
        assertThatThrownBy(() -> acc.add(new FeatureMap(5, 4, 4, new float[80]), im.truth()))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("5 channels but earlier images had 4");
    }
}
