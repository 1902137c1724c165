package dev.semiactive.al;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RegionGridTest {
    @Test
    void idsAreStablePositionalAndEdgeCellsAreSmaller() {
        ImageRegions r = new RegionGrid(16).regionize("seq01/img_7", 40, 50);
        assertThat(r.kind()).isEqualTo("g16");
        assertThat(r.size()).isEqualTo(3 * 4);
        assertThat(r.region(0).id()).isEqualTo("seq01/img_7#g16:0:0");
        assertThat(r.region(5).id()).isEqualTo("seq01/img_7#g16:1:1");
        Region corner = r.region(11);
        assertThat(corner.id()).isEqualTo("seq01/img_7#g16:2:3");
        assertThat(corner.pixelCount()).isEqualTo((40 - 32) * (50 - 48));
        assertThat(new int[]{corner.x0(), corner.y0(), corner.x1(), corner.y1()}).containsExactly(48, 32, 50, 40);
        assertThat(RegionIds.imageIdOf(corner.id())).isEqualTo("seq01/img_7");
        ImageRegions again = new RegionGrid(16).regionize("seq01/img_7", 3, 40, 50, new float[3 * 40 * 50]);
        assertThat(again.regions()).isEqualTo(r.regions());
        assertThat(again.labelMap()).containsExactly(r.labelMap());
    }

    @Property(tries = 40)
    void cellsCoverTheImageExactlyOnce(@ForAll @IntRange(min = 1, max = 70) int h, @ForAll @IntRange(min = 1, max = 70) int w,
                                       @ForAll @IntRange(min = 1, max = 20) int cell) {
        ImageRegions r = new RegionGrid(cell).regionize("im", h, w);
        int[] hits = new int[h * w];
        long total = 0;
        Set<String> ids = new HashSet<>();
        for (Region reg : r.regions()) {
            assertThat(ids.add(reg.id())).isTrue();
            int[] px = r.pixels(reg.index());
            assertThat(px).hasSize(reg.pixelCount());
            assertThat(reg.pixelCount()).isLessThanOrEqualTo(cell * cell);
            for (int p : px) hits[p]++;
            total += px.length;
        }
        assertThat(total).isEqualTo((long) h * w);
        for (int c : hits) assertThat(c).isEqualTo(1);
        assertThat(r.size()).isEqualTo(((h + cell - 1) / cell) * ((w + cell - 1) / cell));
    }
}
