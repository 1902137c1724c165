package dev.semiactive.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.semiactive.SemiactiveException;
import dev.semiactive.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BatchSamplerTest {
    /** Adds a random offset from the per-sample generator, so augmentation randomness shows in the batch. */
    private static final Augmentation JITTER = (s, r) -> {
        float[] img = s.image().clone();
        float d = (float) r.nextDouble();
        for (int i = 0; i < img.length; i++) img[i] += d;
        return new Sample(s.id(), s.channels(), s.height(), s.width(), img, s.mask());
    };

    private static BatchSampler.Builder base(SyntheticData.InMemory data) {
        return BatchSampler.builder().setDataset(data).setBatchSize(3).setSeed(42).optAugmentation(JITTER);
    }

    private static List<HostBatch> take(BatchSampler s, int n) {
        List<HostBatch> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(s.next());
        return out;
    }

    @Test
    void everyEpochVisitsEachIdOnceInASeededOrder() {
        SyntheticData.InMemory data = SyntheticData.scenes(7, 16, 1);
        List<String> stream = new ArrayList<>();
        try (BatchSampler s = base(data).build()) {
            for (HostBatch b : take(s, 14)) stream.addAll(b.ids()); // 42 positions = 6 epochs of 7
        }
        for (int e = 0; e < 6; e++)
            assertThat(new HashSet<>(stream.subList(e * 7, e * 7 + 7))).hasSize(7);
        assertThat(stream.subList(0, 7)).isNotEqualTo(stream.subList(7, 14)); // reshuffled per epoch
        List<String> again = new ArrayList<>();
        try (BatchSampler s = base(data).build()) {
            for (HostBatch b : take(s, 14)) again.addAll(b.ids());
        }
        assertThat(again).isEqualTo(stream);
        List<String> otherSeed = new ArrayList<>();
        try (BatchSampler s = base(data).setSeed(43).build()) {
            for (HostBatch b : take(s, 14)) otherSeed.addAll(b.ids());
        }
        assertThat(otherSeed).isNotEqualTo(stream);
    }

    @Test
    void batchesDoNotDependOnThreadsAndResumeAtAnyBatch() {
        SyntheticData.InMemory data = SyntheticData.scenes(5, 16, 2);
        List<HostBatch> single, multi, resumed;
        try (BatchSampler s = base(data).optWorkers(1).build()) {
            single = take(s, 8);
        }
        try (BatchSampler s = base(data).optWorkers(3).optPrefetch(5).build()) {
            multi = take(s, 8);
        }
        try (BatchSampler s = base(data).optStartBatch(5).build()) {
            assertThat(s.position()).isEqualTo(5);
            resumed = take(s, 3);
        }
        for (int i = 0; i < 8; i++) {
            assertThat(multi.get(i).ids()).isEqualTo(single.get(i).ids());
            assertThat(multi.get(i).images()).containsExactly(single.get(i).images());
        }
        for (int i = 0; i < 3; i++) {
            assertThat(resumed.get(i).ids()).isEqualTo(single.get(5 + i).ids());
            assertThat(resumed.get(i).images()).containsExactly(single.get(5 + i).images());
        }
    }

    @Test
    void batchesAreNormalisedAndStackedIntoNdArrays() {
        SyntheticData.InMemory data = SyntheticData.scenes(4, 16, 3);
        Normalization norm = Normalization.defaults(3);
        try (BatchSampler s = BatchSampler.builder().setDataset(data).setBatchSize(2).setSeed(1).build();
             NDManager m = NDManager.newBaseManager()) {
            HostBatch b = s.next();
            NDArray images = b.imagesArray(m);
            NDArray masks = b.masksArray(m);
            assertThat(images.getShape().getShape()).containsExactly(2, 3, 16, 16);
            assertThat(masks.getShape().getShape()).containsExactly(2, 16, 16);
            assertThat(masks.getDataType()).isEqualTo(DataType.INT64);
            Sample first = data.load(b.ids().get(0));
            float[] img = images.toFloatArray();
            int plane = 16 * 16;
            for (int c = 0; c < 3; c++)
                assertThat(img[c * plane + 17]).isCloseTo((first.image()[c * plane + 17] - norm.mean()[c]) / norm.std()[c], within(1e-6f));
            assertThat(Arrays.copyOf(masks.toType(DataType.INT32, false).toIntArray(), plane)).containsExactly(first.mask());
        }
    }

    @Test
    void unlabelledBatchesHaveNoMasksAndExtraChannelsGetHalfNormalisation() {
        Normalization n4 = Normalization.defaults(4);
        assertThat(n4.mean()).containsExactly(0.485f, 0.456f, 0.406f, 0.5f);
        assertThat(n4.std()[3]).isEqualTo(0.5f);
        Sample s = new Sample("a", 3, 2, 2, new float[12], null);
        HostBatch b = HostBatch.stack(List.of(s, s), Normalization.defaults(3));
        assertThat(b.labelled()).isFalse();
        Sample labelled = s.withMask(new int[]{0, 1, 2, 255});
        HostBatch mixed = HostBatch.stack(List.of(labelled, s), Normalization.defaults(3));
        assertThat(Arrays.copyOfRange(mixed.masks(), 4, 8)).containsOnly(255);
    }

    @Test
    void samplesOfDifferentSizesInOneBatchAreABadDataset() {
        Sample a = new Sample("a", 3, 2, 2, new float[12], null);
        Sample b = new Sample("b", 3, 2, 3, new float[18], null);
        assertThatThrownBy(() -> HostBatch.stack(List.of(a, b), Normalization.defaults(3)))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("sample b is 3x2x3");
    }

    @Test
    void loadingErrorsSurfaceOnTheTrainingThread() {
        SyntheticData.InMemory data = new SyntheticData.InMemory(List.of()) {
            @Override
            public List<String> ids() {
                return List.of("broken");
            }

            @Override
            public Sample load(String id) {
                throw new SemiactiveException("image /x/broken.png is truncated: re-export it");
            }
        };
        try (BatchSampler s = BatchSampler.builder().setDataset(data).setBatchSize(1).setSeed(1).build()) {
            assertThatThrownBy(s::next).isInstanceOf(SemiactiveException.class).hasMessageContaining("broken.png");
        }
    }

    /** The ids and views (the JITTER offset of each image, its first pixel minus the original's) of the first n positions. */
    private static List<String> stream(SyntheticData.InMemory data, boolean keyed, int batches, long startBatch) {
        List<String> out = new ArrayList<>();
        try (BatchSampler s = BatchSampler.builder().setDataset(data).setBatchSize(3).setSeed(42).optAugmentation(JITTER)
                .optNormalization(new Normalization(new float[]{0, 0, 0}, new float[]{1, 1, 1})).optImageKeyed(keyed)
                .optStartBatch(startBatch).build()) {
            for (HostBatch b : take(s, batches))
                for (int i = 0; i < b.ids().size(); i++) {
                    String id = b.ids().get(i);
                    float offset = b.images()[i * b.images().length / b.ids().size()] - data.load(id).image()[0];
                    out.add(id + String.format(java.util.Locale.ROOT, "@%.5f", offset));
                }
        }
        return out;
    }

    @Test
    void imageKeyedStreamsShowSharedImagesInTheSameOrderAndViewsWhenImagesAreAdded() {
        SyntheticData.InMemory all = SyntheticData.scenes(9, 8, 4);
        // a round before: 6 of the 9 images (img001, img004, img007 not yet labelled)
        SyntheticData.InMemory fewer = new SyntheticData.InMemory(all.ids().stream().filter(id -> !List.of("img001", "img004", "img007")
                .contains(id)).map(all::load).toList());
        // epoch by epoch (6 positions an epoch there, 9 here), the shared images come in the same order with the same views
        List<String> small = stream(fewer, true, 6, 0), large = stream(all, true, 9, 0);
        for (int e = 0; e < 3; e++) {
            List<String> shared = large.subList(9 * e, 9 * e + 9).stream().filter(v -> !v.startsWith("img001@")
                    && !v.startsWith("img004@") && !v.startsWith("img007@")).toList();
            assertThat(shared).isEqualTo(small.subList(6 * e, 6 * e + 6));
        }
        // under position keys the same two streams do not (the offsets follow positions, not images)
        List<String> smallP = stream(fewer, false, 2, 0), largeP = stream(all, false, 3, 0);
        assertThat(largeP.stream().filter(smallP::contains).toList()).hasSizeLessThan(6);
        // every epoch still visits each image once, reshuffled, and a resumed sampler continues the same stream
        for (int e = 0; e < 3; e++)
            assertThat(large.subList(9 * e, 9 * e + 9).stream().map(v -> v.substring(0, 6)).distinct()).hasSize(9);
        assertThat(large.subList(0, 9)).isNotEqualTo(large.subList(9, 18));
        assertThat(stream(all, true, 4, 5)).isEqualTo(large.subList(15, 27));
        assertThat(BatchSampler.idKey("img001")).isEqualTo(BatchSampler.idKey("img001")).isNotEqualTo(BatchSampler.idKey("img002"));
    }
}
