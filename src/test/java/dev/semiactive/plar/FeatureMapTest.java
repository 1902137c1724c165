package dev.semiactive.plar;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FeatureMapTest {
    @Test
    void pixelReadsTheChannelColumn() {
        // 2 channels, 1x3.
        FeatureMap f = new FeatureMap(2, 1, 3, new float[]{1, 2, 3, 10, 20, 30});
        double[] v = new double[2];
        f.pixel(1, v);
        assertThat(v).containsExactly(2, 20);
        assertThat(f.pixels()).isEqualTo(3);
    }

    @Test
    void bilinearResizeMatchesPyTorchHalfPixelConvention() {
        // torch.nn.functional.interpolate([[0,1],[2,3]], size=4, mode="bilinear", align_corners=False)
        FeatureMap f = new FeatureMap(1, 2, 2, new float[]{0, 1, 2, 3});
        float[] up = f.resizeBilinear(4, 4).data();
        float[] expected = {
                0.0f, 0.25f, 0.75f, 1.0f,
                0.5f, 0.75f, 1.25f, 1.5f,
                1.5f, 1.75f, 2.25f, 2.5f,
                2.0f, 2.25f, 2.75f, 3.0f};
        for (int i = 0; i < 16; i++) assertThat(up[i]).as("index %d", i).isCloseTo(expected[i], within(1e-6f));
        assertThat(f.resizeBilinear(2, 2)).isSameAs(f);
    }

    @Test
    void concatStacksChannels() {
        FeatureMap a = new FeatureMap(1, 1, 2, new float[]{1, 2});
        FeatureMap b = new FeatureMap(2, 1, 2, new float[]{3, 4, 5, 6});
        FeatureMap c = FeatureMap.concat(a, b);
        assertThat(c.channels()).isEqualTo(3);
        assertThat(c.data()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThatThrownBy(() -> FeatureMap.concat(a, new FeatureMap(1, 2, 1, new float[2])))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("cannot concatenate feature maps of 1x2 and 2x1");
    }

    @Test
    void rejectsWrongLength() {
        assertThatThrownBy(() -> new FeatureMap(2, 2, 2, new float[7])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feature data length 7 != 2x2x2");
    }
}
