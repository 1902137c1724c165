package dev.semiactive.data;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VaihingenFormatTest {
    private static final int[] GT = {0xFFFFFF, 0x0000FF, 0x00FFFF, 0x00FF00, 0xFFFF00, 0xFF0000};

    @TempDir
    Path root;

    /** IRRG: red channel = 40 * column class; ground truth column bands cycle the 6 classes. */
    private void writeArea(int area, int w, int h, boolean withGt) {
        Fixtures.rgb(VaihingenFormat.topFile(root, area), w, h, (x, y) -> ((x % 6) * 40) << 16 | (area << 8) | y);
        if (withGt) Fixtures.rgb(VaihingenFormat.gtFile(root, area), w, h, (x, y) -> GT[x % 6]);
    }

    /**
     * A single-band float32 TIFF like the ISPRS DSM, written by hand: the TIFF plugin reads float samples
     * but does not write them.
     */
    private void writeDsm(int area, int w, int h, float base) {
        int entries = 10;
        int dataOffset = 8 + 2 + entries * 12 + 4;
        ByteBuffer b = ByteBuffer.allocate(dataOffset + w * h * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) entries);
        int[][] tags = {{256, 4, w}, {257, 4, h}, {258, 3, 32}, {259, 3, 1}, {262, 3, 1}, {273, 4, dataOffset},
                {277, 3, 1}, {278, 4, h}, {279, 4, w * h * 4}, {339, 3, 3}};
        for (int[] t : tags) {
            b.putShort((short) t[0]).putShort((short) t[1]).putInt(1);
            if (t[1] == 3) b.putShort((short) t[2]).putShort((short) 0);
            else b.putInt(t[2]);
        }
        b.putInt(0);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) b.putFloat(base + 2.5f * x);
        try {
            Path file = VaihingenFormat.dsmFile(root, area);
            Files.createDirectories(file.getParent());
            Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 16-bit gray TIFF DSM (some DSMs come as integers). */
    private void writeDsm16(int area, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, 1000 + 100 * y);
        Fixtures.write(VaihingenFormat.dsmFile(root, area), img, "tiff");
    }

    @Test
    void decodesIrrgTiffAndColourGroundTruth() {
        writeArea(1, 12, 5, true);
        writeArea(3, 12, 5, true);
        writeArea(2, 12, 5, true);
        SegmentationDataset ds = Datasets.open("vaihingen", root, "1,3", DataOptions.defaults());
        assertThat(ds.ids()).containsExactly("area1", "area3");
        assertThat(ds.channels()).isEqualTo(3);
        assertThat(ds.labels().classNames()).containsExactly("Impervious", "Building", "LowVeg", "Tree", "Car", "Clutter");
        Sample s = ds.load("area3");
        for (int x = 0; x < 12; x++) {
            assertThat(s.mask()[2 * 12 + x]).isEqualTo(x % 6);
            assertThat(Fixtures.rgbAt(s, x, 2)).isEqualTo(((x % 6) * 40) << 16 | (3 << 8) | 2);
        }
    }

    @Test
    void dsmBecomesANormalisedFourthChannel() {
        writeArea(1, 6, 4, true);
        writeDsm(1, 6, 4, 250f);
        SegmentationDataset ds = Datasets.open("vaihingen", root, "1", DataOptions.builder().optDsm(true).build());
        assertThat(ds.channels()).isEqualTo(4);
        Sample s = ds.load("area1");
        assertThat(s.channels()).isEqualTo(4);
        int n = 24;
        for (int x = 0; x < 6; x++) assertThat(s.image()[3 * n + x]).isCloseTo(x / 5f, org.assertj.core.data.Offset.offset(1e-6f));
        // The first three channels are the IRRG image unchanged.
        assertThat(Fixtures.rgbAt(s, 2, 1)).isEqualTo((2 * 40) << 16 | (1 << 8) | 1);
        assertThat(ImageIo.readRaw(VaihingenFormat.dsmFile(root, 1)).data()[5]).isEqualTo(262.5f);

        writeArea(2, 5, 3, true);
        writeDsm16(2, 5, 3);
        Sample s16 = Datasets.open("vaihingen", root, "2", DataOptions.builder().optDsm(true).build()).load("area2");
        assertThat(s16.image()[3 * 15]).isZero();
        assertThat(s16.image()[3 * 15 + 5]).isEqualTo(0.5f);
        assertThat(s16.image()[3 * 15 + 14]).isEqualTo(1f);
    }

    @Test
    void dsmOfAnotherSizeIsAnError() {
        writeArea(1, 6, 4, true);
        writeDsm(1, 5, 4, 0f);
        SegmentationDataset ds = Datasets.open("vaihingen", root, "1", DataOptions.builder().optDsm(true).build());
        assertThatThrownBy(() -> ds.load("area1")).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("DSM").hasMessageContaining("5x4").hasMessageContaining("6x4");
    }

    @Test
    void standardSplitsAndMissingDsm() {
        for (int a : new int[]{1, 2, 3, 4}) writeArea(a, 4, 4, a != 4);
        assertThatThrownBy(() -> Datasets.open("vaihingen", root, "train", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("vaihingen area 5 of split 'train' has no image " + VaihingenFormat.topFile(root, 5)
                        + ": add the file or leave the area out of the split");
        assertThat(Datasets.open("vaihingen", root, "val", DataOptions.defaults()).ids()).containsExactly("area2");
        assertThat(Datasets.open("vaihingen", root, "all", DataOptions.builder().optRequireMasks(false).build()).ids())
                .containsExactly("area1", "area2", "area3", "area4");
        assertThat(Datasets.open("vaihingen", root, "area1-3", DataOptions.defaults()).ids()).containsExactly("area1", "area2", "area3");
        assertThatThrownBy(() -> Datasets.open("vaihingen", root, "4", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("image " + VaihingenFormat.topFile(root, 4) + " has no mask: expected " + VaihingenFormat.gtFile(root, 4)
                        + "; add the mask, remove the image, or name the split in data.unlabelled_split to train on its images unlabelled");
        assertThatThrownBy(() -> Datasets.open("vaihingen", root, "1", DataOptions.builder().optDsm(true).build()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("vaihingen DSM folder (needed for dsm=true) " + root.resolve("dsm").toAbsolutePath().normalize()
                        + " does not exist: pick one of [gts_for_participants, top] or create it");
        writeDsm(2, 4, 4, 0f);
        assertThatThrownBy(() -> Datasets.open("vaihingen", root, "1", DataOptions.builder().optDsm(true).build()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("vaihingen area 1 has no DSM " + VaihingenFormat.dsmFile(root, 1) + ": add it or set dsm=false");
        assertThatThrownBy(() -> Datasets.open("vaihingen", root, "x", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("vaihingen split item 'x' is not an area number: use train, val, all, or numbers such as 1,3,5 or 1-7");
        assertThat(VaihingenFormat.TRAIN_AREAS).hasSize(16);
    }

    @Test
    void splitSelectingNoAreaListsTheAreasThere() {
        writeArea(1, 4, 4, true);
        writeArea(3, 4, 4, true);
        // both are training areas, so val is empty
        assertThatThrownBy(() -> Datasets.open("vaihingen", root, "val", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("vaihingen split 'val' selects no area of " + root.resolve("top").toAbsolutePath().normalize()
                        + " (areas there: [1, 3]): use train, val, all or area numbers that exist");
    }

    @Test
    void largeAreasTile() {
        writeArea(5, 30, 20, true);
        SegmentationDataset ds = Datasets.open("vaihingen", root, "5", DataOptions.builder().optTile(16, 16).build());
        assertThat(ds.ids()).containsExactly("area5@0_0", "area5@0_4", "area5@14_0", "area5@14_4");
        Sample t = ds.load("area5@14_4");
        assertThat(t.mask()[0]).isEqualTo(14 % 6);
    }

    @Test
    void unknownGroundTruthColourIsAnError() {
        writeArea(1, 4, 4, false);
        Fixtures.rgb(VaihingenFormat.gtFile(root, 1), 4, 4, (x, y) -> 0x808080);
        SegmentationDataset ds = Datasets.open("vaihingen", root, "1", DataOptions.defaults());
        assertThatThrownBy(() -> ds.load("area1")).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("#808080").hasMessageContaining("(0,0)").hasMessageContaining("area1.tif");
    }
}
