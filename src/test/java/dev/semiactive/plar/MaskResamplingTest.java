package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaskResamplingTest {
    // An 8x4 mask brought down to 2x2: four blocks of 4 rows x 2 columns.
    private static final int[] MASK = {
            0, 0, 1, 1,
            0, 0, 1, 1,
            0, 2, 1, 255,
            0, 2, 255, 255,
            3, 3, 255, 255,
            3, 3, 255, 255,
            3, 4, 255, 255,
            4, 4, 255, 7,
    };

    @Test
    void majorityIgnoresUnlabelledAndRequiresCoverage() {
        assertThat(MaskResampling.downsampleMajority(MASK, 8, 4, 2, 2, 0.5)).containsExactly(0, 1, 3, 255);
        // Lower bar: the block with a single 7 gets it.
        assertThat(MaskResampling.downsampleMajority(MASK, 8, 4, 2, 2, 0.0)).containsExactly(0, 1, 3, 7);
        // Higher bar: block (0,0) is 6/8 class 0, block (0,1) 5/8 class 1.
        assertThat(MaskResampling.downsampleMajority(MASK, 8, 4, 2, 2, 0.7)).containsExactly(0, 255, 255, 255);
    }

    @Test
    void majorityTiesGoToTheSmallerClass() {
        assertThat(MaskResampling.downsampleMajority(new int[]{5, 2, 2, 5}, 2, 2, 1, 1, 0.5)).containsExactly(2);
    }

    @Test
    void nearestTakesTheBlockCentre() {
        int[] m = new int[16];
        for (int i = 0; i < 16; i++) m[i] = i;
        // 4x4 -> 2x2: centres at rows/cols 1 and 3.
        assertThat(MaskResampling.downsampleNearest(m, 4, 4, 2, 2)).containsExactly(5, 7, 13, 15);
        boolean[] b = new boolean[16];
        b[5] = true;
        assertThat(MaskResampling.downsampleNearest(b, 4, 4, 2, 2)).containsExactly(true, false, false, false);
    }

    @Test
    void fractionFlagsBlocks() {
        boolean[] b = new boolean[16];
        b[0] = true;            // block (0,0): 1/4
        b[2] = b[3] = true;     // block (0,1): 2/4
        assertThat(MaskResampling.downsampleFraction(b, 4, 4, 2, 2, 0.0)).containsExactly(true, true, false, false);
        assertThat(MaskResampling.downsampleFraction(b, 4, 4, 2, 2, 0.5)).containsExactly(false, true, false, false);
    }

    @Test
    void handlesSizesThatAreNotAMultipleOfTheStride() {
        // 10 -> 3: blocks of 3, 3, 4 rows/cols (starts at 0, 3, 6).
        int[] m = new int[100];
        for (int y = 0; y < 10; y++) for (int x = 0; x < 10; x++) m[y * 10 + x] = block(y) * 3 + block(x);
        int[] down = MaskResampling.downsampleMajority(m, 10, 10, 3, 3, 0.5);
        assertThat(down).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(MaskResampling.downsampleNearest(m, 10, 10, 3, 3)).containsExactly(down);
        assertThat(MaskResampling.upsampleNearest(down, 3, 3, 10, 10)).containsExactly(m);
    }

    private static int block(int i) {
        return i < 3 ? 0 : i < 6 ? 1 : 2;
    }

    @Property(tries = 100)
    void downsamplingAnUpsampledMapGivesItBack(@ForAll @IntRange(min = 1, max = 12) int h, @ForAll @IntRange(min = 1, max = 12) int w,
                                               @ForAll @IntRange(min = 1, max = 5) int stride, @ForAll long seed) {
        Random r = new Random(seed);
        int[] small = new int[h * w];
        for (int i = 0; i < small.length; i++) small[i] = r.nextInt(6) == 0 ? 255 : r.nextInt(20);
        int bigH = h * stride + r.nextInt(stride), bigW = w * stride + r.nextInt(stride);
        int[] big = MaskResampling.upsampleNearest(small, h, w, bigH, bigW);
        assertThat(MaskResampling.downsampleMajority(big, bigH, bigW, h, w, 0.5)).containsExactly(small);
        assertThat(MaskResampling.downsampleNearest(big, bigH, bigW, h, w)).containsExactly(small);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> MaskResampling.downsampleNearest(new int[10], 4, 4, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 10 != 4x4");
        assertThatThrownBy(() -> MaskResampling.downsampleMajority(new int[4], 2, 2, 4, 4, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot downsample");
        assertThatThrownBy(() -> MaskResampling.downsampleMajority(new int[]{0, -3, 0, 0}, 2, 2, 1, 1, 0.5))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("label mask holds value -3 at (1,0): labels must be class ids 0..254 or 255 for unlabelled");
    }
}
