package dev.semiactive.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreparedDatasetTest {
    @TempDir
    Path root;

    private void image(String name, int w, int h) {
        Fixtures.rgb(root.resolve("train/" + name + ".png"), w, h, (x, y) -> (x & 0xFF) << 16 | (y & 0xFF) << 8);
        Fixtures.gray(root.resolve("trainannot/" + name + ".png"), w, h, (x, y) -> (x / 10) % 11);
    }

    @Test
    void tilesOfACachedImageDoNotReadTheFileAgain() throws Exception {
        image("a", 40, 20);
        SegmentationDataset ds = Datasets.open("camvid", root, "train", DataOptions.builder().optTile(20, 20).build());
        Sample first = ds.load("a@0_0");
        Files.delete(root.resolve("train/a.png"));
        Sample second = ds.load("a@20_0");
        assertThat(second.mask()[0]).isEqualTo(2);
        assertThat(Fixtures.rgbAt(second, 0, 0)).isEqualTo(20 << 16);
        assertThat(first.mask()[0]).isZero();

        image("b", 40, 20);
        SegmentationDataset uncached = Datasets.open("camvid", root, "train",
                DataOptions.builder().optTile(20, 20).optCacheMegabytes(0).build());
        uncached.load("b@0_0");
        Files.delete(root.resolve("train/b.png"));
        assertThatThrownBy(() -> uncached.load("b@20_0")).hasMessageContaining("b.png");
    }

    @Test
    void cacheStaysWithinItsBudget() {
        for (String n : List.of("a", "b", "c")) image(n, 200, 200); // 200*200*(3+1)*4 bytes = 640 KB each
        PreparedDataset ds = (PreparedDataset) Datasets.open("camvid", root, "train",
                DataOptions.builder().optTile(100, 100).optCacheMegabytes(1).build());
        List<String> ids = new ArrayList<>(ds.ids());
        Collections.shuffle(ids, new Random(1));
        for (String id : ids) {
            ds.load(id);
            assertThat(ds.cachedBytes()).isLessThanOrEqualTo(1024 * 1024);
        }
        assertThat(ds.cachedBytes()).isEqualTo(640_000);
    }

    @Test
    void concurrentLoadsGiveTheSameSamples() throws Exception {
        for (String n : List.of("a", "b", "c", "d")) image(n, 60, 30);
        SegmentationDataset ds = Datasets.open("camvid", root, "train",
                DataOptions.builder().optTile(16, 16).optCacheMegabytes(1).build());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Sample>> futures = new ArrayList<>();
            for (String id : ds.ids()) futures.add(pool.submit(() -> ds.load(id)));
            for (int i = 0; i < futures.size(); i++) {
                Sample s = futures.get(i).get();
                Sample again = ds.load(ds.ids().get(i));
                assertThat(s.id()).isEqualTo(again.id());
                assertThat(s.image()).containsExactly(again.image());
                assertThat(s.mask()).containsExactly(again.mask());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
