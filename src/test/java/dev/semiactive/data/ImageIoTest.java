package dev.semiactive.data;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ImageIoTest {
    @TempDir
    Path dir;

    @Test
    void readsRgbAsChwAndSizeFromTheHeader() {
        Path f = Fixtures.rgb(dir.resolve("a.png"), 3, 2, (x, y) -> x == 1 && y == 1 ? 0xFF8000 : 0x000033);
        assertThat(ImageIo.size(f)).isEqualTo(new ImageIo.Size(3, 2));
        ChwImage img = ImageIo.read(f);
        assertThat(img.channels()).isEqualTo(3);
        assertThat(img.height()).isEqualTo(2);
        assertThat(img.width()).isEqualTo(3);
        int i = 1 * 3 + 1;
        assertThat(img.data()[i]).isEqualTo(1f);
        assertThat(img.data()[6 + i]).isEqualTo(128 / 255f);
        assertThat(img.data()[12 + i]).isEqualTo(0f);
        assertThat(img.data()[12]).isEqualTo(0x33 / 255f);
    }

    @Test
    void paletteImagesBecomeRgbAndAlphaIsDropped() {
        Path p = Fixtures.indexed(dir.resolve("p.png"), 2, 1, new int[]{0x102030, 0xA0B0C0}, (x, y) -> x);
        ChwImage img = ImageIo.read(p);
        assertThat(img.channels()).isEqualTo(3);
        assertThat(img.data()).containsExactly(0x10 / 255f, 0xA0 / 255f, 0x20 / 255f, 0xB0 / 255f, 0x30 / 255f, 0xC0 / 255f);

        BufferedImage argb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80FF0000);
        Path a = Fixtures.write(dir.resolve("a.png"), argb, "png");
        assertThat(ImageIo.read(a).channels()).isEqualTo(3);
    }

    @Test
    void sixteenBitGrayIsScaledByItsDepth() {
        BufferedImage g16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 65535);
        g16.getRaster().setSample(1, 0, 0, 0);
        Path f = Fixtures.write(dir.resolve("g16.png"), g16, "png");
        ChwImage img = ImageIo.read(f);
        assertThat(img.channels()).isEqualTo(1);
        assertThat(img.data()).containsExactly(1f, 0f);
        assertThat(ImageIo.readRaw(f).data()).containsExactly(65535f, 0f);
        assertThat(ImageIo.read(f, 3).channels()).isEqualTo(3);
        Path rgb = Fixtures.rgb(dir.resolve("c.png"), 2, 2, (x, y) -> 0);
        assertThatThrownBy(() -> ImageIo.read(rgb, 4)).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("c.png has 3 channel(s)").hasMessageContaining("expects 4");
    }

    @Test
    void multiBandTiffKeepsEveryBand() {
        Path f = Fixtures.rgb(dir.resolve("t.tif"), 4, 3, (x, y) -> (x * 50) << 16 | (y * 60) << 8 | 7);
        ChwImage img = ImageIo.read(f);
        assertThat(img.channels()).isEqualTo(3);
        assertThat(img.data()[3]).isEqualTo(150 / 255f);
        assertThat(img.data()[12 + 2 * 4]).isEqualTo(120 / 255f);
        assertThat(ImageIo.size(f)).isEqualTo(new ImageIo.Size(4, 3));
    }

    @Test
    void unreadableFilesAreOneLineErrorsNamingTheFile() throws Exception {
        Path txt = Fixtures.text(dir.resolve("x.png"), "hello");
        assertThatThrownBy(() -> ImageIo.read(txt)).isInstanceOf(SemiactiveException.class)
                .hasMessage("cannot read image " + txt + ": not a recognised image format (PNG, JPEG, TIFF, BMP, GIF); replace or remove the file");
        assertThatThrownBy(() -> ImageIo.size(dir.resolve("missing.png"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("image " + dir.resolve("missing.png") + " does not exist: check the dataset folder and file name");
        Path jpg = Fixtures.rgb(dir.resolve("big.jpg"), 64, 64, (x, y) -> x * y);
        byte[] bytes = Files.readAllBytes(jpg);
        Files.write(jpg, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertThatThrownBy(() -> ImageIo.read(jpg)).isInstanceOf(SemiactiveException.class)
                .hasMessageStartingWith("cannot read image " + jpg + " (")
                .hasMessageEndingWith("): the file is corrupt or truncated; replace or remove it")
                .hasMessageNotContaining("\n");
    }

    @Test
    void indexPngRoundTripAndAtomicWrite() throws Exception {
        int[] mask = {0, 1, 2, 255, 10, 3};
        Path f = dir.resolve("sub/m.png");
        MaskIo.writeIndexPng(f, mask, 2, 3);
        IntImage back = MaskIo.readIndex(f);
        assertThat(back.height()).isEqualTo(2);
        assertThat(back.width()).isEqualTo(3);
        assertThat(back.values()).containsExactly(mask);
        try (var files = Files.list(f.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("m.png");
        }
        assertThatThrownBy(() -> MaskIo.writeIndexPng(f, new int[]{256}, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void grayRgbIndexMaskIsAccepted() {
        Path f = Fixtures.rgb(dir.resolve("m.png"), 2, 1, (x, y) -> x == 0 ? 0x030303 : 0x050505);
        assertThat(MaskIo.readIndex(f).values()).containsExactly(3, 5);
        assertThat(MaskIo.readRgb(f).values()).containsExactly(0x030303, 0x050505);
    }

    @Test
    void overlayBlendsClassColoursAndLeavesIgnoredPixels() {
        LabelSpace labels = new LabelSpace(List.of("a", "b"), List.of(0xFF0000, 0x0000FF));
        float[] img = {0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f}; // 1x2 RGB, all 102
        int[] mask = {1, LabelSpace.IGNORE};
        BufferedImage ov = MaskIo.overlay(img, 3, 1, 2, mask, labels, 0.5);
        assertThat(ov.getRGB(0, 0) & 0xFFFFFF).isEqualTo((51 << 16) | (51 << 8) | 179);
        assertThat(ov.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x666666);
        BufferedImage colours = MaskIo.colourise(new int[]{0, 1, 255}, 1, 3, labels);
        assertThat(colours.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(colours.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x0000FF);
        assertThat(colours.getRGB(2, 0) & 0xFFFFFF).isEqualTo(0);
        Path out = dir.resolve("ov.png");
        MaskIo.writeOverlayPng(out, img, 3, 1, 2, mask, labels, 0.5);
        assertThat(MaskIo.readRgb(out).values()).containsExactly((51 << 16) | (51 << 8) | 179, 0x666666);
        assertThatThrownBy(() -> MaskIo.overlay(null, 3, 1, 1, new int[]{2}, labels, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toBufferedImageRoundTripsThroughPng() {
        float[] chw = {0f, 1f, 0.5f, 0.2f, 0.3f, 0.4f, 1f, 0f, 0.6f, 0.7f, 0.8f, 0.9f, /* 4th channel ignored */ 1, 1, 1, 1};
        Path f = dir.resolve("r.png");
        ImageIo.writePng(f, ImageIo.toBufferedImage(chw, 4, 2, 2));
        ChwImage back = ImageIo.read(f);
        assertThat(back.channels()).isEqualTo(3);
        for (int i = 0; i < 12; i++) assertThat(back.data()[i]).isCloseTo(chw[i], within(0.5f / 255f + 1e-6f));
    }

    @Test
    void resizeCropAndFlipHelpers() {
        // bilinear keeps a constant image constant and averages neighbours when halving
        float[] img = {0f, 1f, 0f, 1f};
        assertThat(SampleOps.bilinear(img, 1, 1, 4, 1, 2)).containsExactly(0.5f, 0.5f);
        assertThat(SampleOps.bilinear(new float[]{0.3f, 0.3f, 0.3f, 0.3f}, 1, 2, 2, 5, 3)).containsOnly(0.3f);
        assertThat(SampleOps.nearest(new int[]{1, 2, 3, 4}, 1, 4, 1, 2)).containsExactly(2, 4);
        assertThat(SampleOps.nearest(new int[]{1, 2}, 1, 2, 1, 4)).containsExactly(1, 1, 2, 2);
        Sample s = new Sample("s", 1, 2, 2, new float[]{1, 2, 3, 4}, new int[]{0, 1, 2, 3});
        Sample c = SampleOps.cropOrPad(s, "c", 1, -1, 2, 3);
        assertThat(c.image()).containsExactly(0, 0, 2, 0, 4, 0);
        assertThat(c.mask()).containsExactly(255, 255, 1, 255, 3, 255);
        assertThat(SampleOps.flipHorizontal(s).mask()).containsExactly(1, 0, 3, 2);
        assertThat(TileGrid.positions(512, 256, 256)).containsExactly(0, 256);
        assertThat(TileGrid.positions(600, 256, 256)).containsExactly(0, 256, 344);
        assertThat(TileGrid.positions(100, 256, 256)).containsExactly(0);
        assertThat(TileGrid.positions(300, 256, 128)).containsExactly(0, 44);
        assertThat(TileGrid.sourceName("tile1/a@16_0")).isEqualTo("tile1/a");
    }
}
