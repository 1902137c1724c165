package dev.semiactive.web;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PngsTest {
    static BufferedImage read(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void chwBecomesRgbWithClamping() throws IOException {
        // 2x1 image, 4 channels (IRRG + DSM): only the first three show.
        float[] chw = {1f, 0f, 0.5f, 2f, 0.25f, -1f, 0.9f, 0.9f};
        BufferedImage img = read(Pngs.fromChw(chw, 4, 1, 2));
        assertThat(img.getWidth()).isEqualTo(2);
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF8040);
        assertThat(img.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x00FF00);
    }

    @Test
    void oneChannelIsGrey() throws IOException {
        BufferedImage img = read(Pngs.fromChw(new float[]{0.5f}, 1, 1, 1));
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x808080);
        assertThatThrownBy(() -> Pngs.fromChw(new float[5], 3, 1, 2)).hasMessageContaining("5 values");
    }

    @Test
    void classMapUsesThePaletteAndLeavesIgnoreTransparent() throws IOException {
        BufferedImage img = read(Pngs.classes(new int[]{0, 3, 255, 7}, 2, 2, TestProject.LABELS));
        assertThat(img.getRGB(0, 0)).isEqualTo(0xFF6fa8dc);
        assertThat(img.getRGB(1, 0)).isEqualTo(0xFFcc0000);
        assertThat(img.getRGB(0, 1) >>> 24).isZero();
        assertThat(img.getRGB(1, 1) >>> 24).isZero();
    }

    @Test
    void maskIsOpaqueWhereSet() throws IOException {
        BitSet b = new BitSet();
        b.set(2);
        BufferedImage img = read(Pngs.mask(b, 2, 2));
        assertThat(img.getRGB(0, 1)).isEqualTo(0xFFFFFFFF);
        assertThat(img.getRGB(0, 0) >>> 24).isZero();
        b.set(4);
        assertThatThrownBy(() -> Pngs.mask(b, 2, 2)).hasMessageContaining("pixel 4");
    }
}
