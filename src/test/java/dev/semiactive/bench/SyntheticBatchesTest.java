package dev.semiactive.bench;

import dev.semiactive.data.LabelSpace;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticBatchesTest {
    @Test
    void imageOfAPoolDoesNotDependOnItsBatch() {
        float[] all = SyntheticBatches.images(0, 5, 3, 8, 8);
        float[] tail = SyntheticBatches.images(3, 2, 3, 8, 8);
        int one = 3 * 8 * 8;
        assertThat(Arrays.copyOfRange(all, 3 * one, 5 * one)).containsExactly(tail);
    }

    @Test
    void imagesFollowTheFormulaThePeerUses() {
        float[] x = SyntheticBatches.images(2, 1, 3, 4, 5);
        // (i=0 -> global 2, c=1, y=3, x=4)
        float expected = (float) (0.5 * Math.sin(0.11 * 4 + 0.07 * 3 + 1.3 * 1 + 0.9 * 2));
        assertThat(x[(1 * 4 + 3) * 5 + 4]).isEqualTo(expected);
        for (float v : x) assertThat(v).isBetween(-0.5f, 0.5f);
    }

    @Test
    void masksHaveEveryClassAndSomeIgnoredPixels() {
        int[] m = SyntheticBatches.masks(0, 2, 64, 64, 11);
        assertThat(IntStream.of(m).filter(v -> v == LabelSpace.IGNORE).count()).isBetween(500L, 1000L);
        assertThat(IntStream.of(m).filter(v -> v != LabelSpace.IGNORE).distinct().count()).isEqualTo(11);
        assertThat(m[0]).isEqualTo(LabelSpace.IGNORE); // x + 2y + i = 0
        assertThat(m[1]).isEqualTo(0);
    }
}
