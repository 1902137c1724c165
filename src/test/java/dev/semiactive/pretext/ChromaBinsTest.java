package dev.semiactive.pretext;

import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ChromaBinsTest {
    /** Images whose thirds are red, blue and grey at a few brightnesses: three chroma clusters. */
    static SegmentationDataset threeColours(int images, int channels) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < images; i++) ids.add(String.format("img%02d", i));
        return new SegmentationDataset() {
            public LabelSpace labels() { return new LabelSpace(List.of("a"), List.of(0)); }
            public int channels() { return channels; }
            public List<String> ids() { return ids; }
            public Sample load(String id) {
                int w = 30, h = 10, plane = w * h;
                float shade = 0.5f + 0.1f * (ids.indexOf(id) % 4);
                float[] im = new float[channels * plane];
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) {
                        int p = y * w + x;
                        float[] rgb = x < 10 ? new float[]{shade, 0.1f, 0.1f} : x < 20 ? new float[]{0.1f, 0.1f, shade} : new float[]{shade, shade, shade};
                        for (int c = 0; c < Math.min(3, channels); c++) im[c * plane + p] = rgb[c];
                    }
                // a mask the pretext must never read: out of every class range
                int[] mask = new int[plane];
                Arrays.fill(mask, 200);
                return new Sample(id, channels, h, w, im, mask);
            }
            public String describe() { return "three colours (" + images + " images)"; }
        };
    }

    @Test
    void fitsOneBinPerChromaClusterAndIsSeeded() {
        ChromaBins bins = ChromaBins.fit(threeColours(8, 3), 3, 200, 7);
        int red = bins.bin(0.6, 0.1, 0.1), blue = bins.bin(0.1, 0.1, 0.6), grey = bins.bin(0.3, 0.3, 0.3);
        assertThat(List.of(red, blue, grey)).doesNotHaveDuplicates();
        // brightness alone does not change a pixel's bin: the bins are of chroma
        assertThat(bins.bin(0.9, 0.9, 0.9)).isEqualTo(grey);
        assertThat(bins.bin(0.05, 0.05, 0.05)).isEqualTo(grey);
        assertThat(bins.centroids()[grey][0]).isCloseTo(0, within(1e-6));
        assertThat(bins.centroids()[grey][1]).isCloseTo(0, within(1e-6));
        assertThat(bins.centroids()[red][1]).isPositive(); // Cr > 0 for red
        assertThat(bins.centroids()[blue][0]).isPositive(); // Cb > 0 for blue
        assertThat(ChromaBins.fit(threeColours(8, 3), 3, 200, 7)).isEqualTo(bins);
    }

    @Test
    void displayColourIsTheBinsChromaAtMidLuminance() {
        ChromaBins bins = new ChromaBins(new double[][]{{0, 0}, {0, 0.3}});
        assertThat(bins.displayColour(0)).isEqualTo(0x808080);
        int reddish = bins.displayColour(1);
        assertThat(reddish >> 16 & 0xFF).isGreaterThan(reddish >> 8 & 0xFF).isGreaterThan(0x80);
    }

    @Test
    void moreBinsThanDistinctColoursStillAssignsEveryPixel() {
        double[][] points = new double[100][];
        for (int i = 0; i < points.length; i++) points[i] = new double[]{i % 2 == 0 ? 0.2 : -0.2, 0};
        ChromaBins bins = ChromaBins.fit(points, 5, new Random(1));
        assertThat(bins.size()).isEqualTo(5);
        // every bin sits on one of the two colours (the surplus bins duplicate one), and both colours have a bin
        java.util.Set<String> at = new java.util.HashSet<>();
        for (double[] c : bins.centroids()) {
            assertThat(Math.abs(Math.abs(c[0]) - 0.2) + Math.abs(c[1])).as(java.util.Arrays.toString(c)).isLessThan(1e-9);
            at.add(c[0] > 0 ? "+" : "-");
        }
        assertThat(at).containsExactlyInAnyOrder("+", "-");
        // a grey pixel (no chroma) is equally far from both: it still gets a bin, one of those at a colour
        int grey = bins.bin(0.5, 0.5, 0.5);
        assertThat(Math.abs(bins.centroids()[grey][0])).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void rejectsTooFewBinsPixelsOrChannels() {
        assertThatThrownBy(() -> ChromaBins.fit(new double[10][2], 1, new Random(1))).hasMessageContaining("at least 2 bins");
        assertThatThrownBy(() -> ChromaBins.fit(new double[][]{{0, 0}}, 2, new Random(1))).hasMessageContaining("cannot make 2 bins");
        assertThatThrownBy(() -> ChromaBins.fit(threeColours(2, 1), 4, 10, 1)).hasMessageContaining("1-channel images");
    }
}
