package dev.semiactive.al;

import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.StoredImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RegionPoolingTest {
    @TempDir
    Path dir;

    @Test
    void meanPoolsAStride2FeatureMapOntoCells() {
        ImageRegions r = Fixtures.cells("A"); // 4x4, 2x2 cells
        // D = 2, feature map 2x2 (stride 2): cell (y, x) has features (10y + x, -1)
        float[] chw = {0, 1, 10, 11, -1, -1, -1, -1};
        float[][] pooled = RegionPooling.meanPool(chw, 2, 2, 2, r);
        assertThat(pooled[0]).containsExactly(0f, -1f);
        assertThat(pooled[1]).containsExactly(1f, -1f);
        assertThat(pooled[2]).containsExactly(10f, -1f);
        assertThat(pooled[3]).containsExactly(11f, -1f);
        // a 1x1 map pools to the same vector everywhere
        float[][] one = RegionPooling.meanPool(new float[]{3f}, 1, 1, 1, r);
        for (float[] v : one) assertThat(v).containsExactly(3f);
    }

    @Test
    void slicRegionsRoundTripThroughTheStore() {
        int h = 24, w = 30;
        float[] img = new float[3 * h * w];
        for (int i = 0; i < img.length; i++) img[i] = ((i % w) < 13) ? 0.8f : 0.2f;
        ImageRegions r = SlicRegionizer.builder().optNumSegments(9).build().regionize("x/y", 3, h, w, img);
        try (ProjectStore s = ProjectStore.open(dir.resolve("p.db"))) {
            s.putImages(List.of(new StoredImage("x/y", "", w, h, "")));
            r.saveTo(s);
            r.saveTo(s); // idempotent
            assertThat(s.regions("x/y")).hasSize(r.size());
            assertThat(s.regionMap("x/y", "slic")).hasValueSatisfying(m -> assertThat(m).containsExactly(r.labelMap()));
            for (Region reg : r.regions()) {
                assertThat(s.regionPixels(reg.id()).pixels()).containsExactly(r.pixels(reg.index()));
                assertThat(Region.fromStored(s.region(reg.id()).orElseThrow())).isEqualTo(reg);
            }
        }
    }
}
