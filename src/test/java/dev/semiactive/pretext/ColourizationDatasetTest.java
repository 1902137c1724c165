package dev.semiactive.pretext;

import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ColourizationDatasetTest {
    @Test
    void imageIsLuminanceInEveryChannelAndMaskIsTheColourBin() {
        SegmentationDataset pool = ChromaBinsTest.threeColours(4, 3);
        ChromaBins bins = ChromaBins.fit(pool, 3, 100, 3);
        ColourizationDataset pretext = new ColourizationDataset(pool, bins);
        assertThat(pretext.ids()).isEqualTo(pool.ids());
        assertThat(pretext.labels().numClasses()).isEqualTo(3);
        assertThat(pretext.labels().paletteRgb().get(0)).isEqualTo(bins.displayColour(0));

        Sample in = pool.load("img01"), out = pretext.load("img01");
        int plane = in.height() * in.width();
        assertThat(out.channels()).isEqualTo(3);
        float[] a = in.image(), b = out.image();
        for (int p = 0; p < plane; p++) {
            double y = ChromaBins.luma(a[p], a[plane + p], a[2 * plane + p]);
            assertThat(b[p]).isCloseTo((float) y, within(1e-6f));
            assertThat(b[plane + p]).isEqualTo(b[p]);
            assertThat(b[2 * plane + p]).isEqualTo(b[p]);
            assertThat(out.mask()[p]).isEqualTo(bins.bin(a[p], a[plane + p], a[2 * plane + p]));
        }
        // the pool's own mask (200 everywhere) is not what the pretext trains on
        assertThat(out.mask()).doesNotContain(200);
        // the three colour stripes land in three different bins
        assertThat(new int[]{out.mask()[0], out.mask()[15], out.mask()[25]}).doesNotHaveDuplicates();
    }

    @Test
    void needsThreeChannelImages() {
        SegmentationDataset fourChannels = ChromaBinsTest.threeColours(2, 4);
        ChromaBins bins = new ChromaBins(new double[][]{{0, 0}, {0.1, 0}});
        assertThatThrownBy(() -> new ColourizationDataset(fourChannels, bins)).hasMessageContaining("4-channel images")
                .hasMessageContaining("needs 3");
    }
}
