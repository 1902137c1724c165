package dev.semiactive.al;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.store.RegionLabel;
import dev.semiactive.store.RegionPixels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatedOracleTest {
    static final int I = LabelSpace.IGNORE;
    // 4x4 ground truth; cell (0,0) mixed 3x class 1 + 1x class 2, cell (0,1) all ignore, cell (1,0) 2 vs 2 tie
    static final int[] GT = {
        1, 1, I, I,
        1, 2, I, I,
        3, 4, 0, 0,
        4, 3, 0, 5,
    };

    static RegionPixels query(ImageRegions r, int index) {
        return new RegionPixels(r.region(index).id(), r.imageId(), r.width(), r.height(), r.pixels(index));
    }

    @Test
    void allPixelsRevealsEveryPixelIncludingIgnore() {
        ImageRegions r = Fixtures.cells("A");
        SimulatedOracle o = new SimulatedOracle(id -> GT, SimulatedOracle.Mode.ALL_PIXELS);
        List<OracleAnswer> a = o.answer(List.of(query(r, 0), query(r, 1)));
        assertThat(a).noneMatch(OracleAnswer::isPending);
        RegionLabel l0 = a.get(0).label();
        assertThat(l0.pixels()).containsExactly(0, 1, 4, 5);
        assertThat(l0.labels()).containsExactly(1, 1, 1, 2);
        assertThat(l0.isDominantOnly()).isFalse();
        assertThat(l0.labelledBy()).isEqualTo("simulated");
        assertThat(a.get(1).label().labels()).containsOnly(I);
    }

    @Test
    void dominantClassGivesTheMajorityToEveryPixel() {
        ImageRegions r = Fixtures.cells("A");
        SimulatedOracle o = new SimulatedOracle(id -> GT, SimulatedOracle.Mode.DOMINANT_CLASS);
        List<OracleAnswer> a = o.answer(List.of(query(r, 0), query(r, 1), query(r, 2), query(r, 3)));
        assertThat(a.get(0).label().labels()).containsOnly(1);
        assertThat(a.get(0).label().dominantClass()).isEqualTo(1);
        assertThat(a.get(1).label().labels()).containsOnly(I); // ignore-only region -> ignore
        assertThat(a.get(2).label().labels()).containsOnly(3); // 3 vs 4 tie -> lower id
        assertThat(a.get(3).label().labels()).containsOnly(0); // 0,0,0 vs 5
        assertThat(a.get(3).label().labelledBy()).isEqualTo("simulated-dominant");
    }

    @Test
    void maskOfTheWrongSizeIsAOneLineError() {
        ImageRegions r = Fixtures.cells("A");
        SimulatedOracle o = new SimulatedOracle(id -> new int[15], SimulatedOracle.Mode.ALL_PIXELS);
        assertThatThrownBy(() -> o.answer(List.of(query(r, 0)))).isInstanceOf(SemiactiveException.class)
            .hasMessage("ground-truth mask of A has 15 pixels but the image is 4x4: masks must match their image size");
        SimulatedOracle none = new SimulatedOracle(id -> null, SimulatedOracle.Mode.ALL_PIXELS);
        assertThatThrownBy(() -> none.answer(List.of(query(r, 0))))
                .hasMessage("image A has no ground-truth mask: the simulated oracle needs a labelled pool");
    }
}
