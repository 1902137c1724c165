package dev.semiactive.data;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void unknownFormatListsTheKnownOnes() {
        assertThatThrownBy(() -> Datasets.open("pascal", dir, "train", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("unknown dataset format 'pascal': known formats are camvid, cityscapes, folder, palette, synthetic, vaihingen");
        assertThat(Datasets.open("Synthetic", null, "train", null).size()).isEqualTo(64);
    }

    @Test
    void optionsFromAConfigMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scale", 0.5);
        m.put("tile", "256x256");
        m.put("overlap", 32);
        m.put("dsm", true);
        m.put("requireMasks", "false");
        m.put("images", 10);
        m.put("imageSize", "96x64");
        m.put("classes", 5);
        m.put("seed", 9);
        DataOptions o = DataOptions.fromMap(m);
        assertThat(o.scale()).isEqualTo(0.5);
        assertThat(o.tileWidth()).isEqualTo(256);
        assertThat(o.strideX()).isEqualTo(224);
        assertThat(o.strideY()).isEqualTo(224);
        assertThat(o.dsm()).isTrue();
        assertThat(o.requireMasks()).isFalse();
        assertThat(o.syntheticCount()).isEqualTo(10);
        assertThat(o.syntheticWidth()).isEqualTo(96);
        assertThat(o.syntheticHeight()).isEqualTo(64);
        assertThat(o.syntheticClasses()).isEqualTo(5);
        assertThat(o.seed()).isEqualTo(9);
        assertThat(DataOptions.fromMap(Map.of("size", "240x180")).workingSize(480, 360)).isEqualTo(new ImageIo.Size(240, 180));
        assertThat(DataOptions.fromMap(Map.of("scale", "0.5")).workingSize(1817, 2061)).isEqualTo(new ImageIo.Size(909, 1031));
        assertThat(DataOptions.fromMap(Map.of("tile", "64", "stride", "48")).strideX()).isEqualTo(48);
        assertThat(o.toBuilder().optSeed(3).build().seed()).isEqualTo(3);
    }

    @Test
    void badOptionsAreOneLineErrors() {
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("tiles", "3"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("unknown dataset option 'tiles': known options are size, scale, tile, stride, overlap, dsm,"
                        + " requireMasks, channels, palette, images, imageSize, classes, seed, cacheMb");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("size", "240by180"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option size is '240by180': write WIDTHxHEIGHT such as 256x256");
        assertThatThrownBy(() -> DataOptions.builder().optSize(240, 180).optScale(0.5).build())
                .isInstanceOf(SemiactiveException.class).hasMessage("dataset options size and scale are both set: use one of them");
        assertThatThrownBy(() -> DataOptions.builder().optTile(64, 64).optTileStride(80, 80).build())
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option stride is 80x80: it must be between 1 and the tile size 64x64 (smaller = overlapping tiles)");
        assertThatThrownBy(() -> DataOptions.builder().optTile(64, 64).optTileOverlap(64).build())
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option overlap is 64: it must be 0 or more and smaller than the tile size");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("dsm", "yes"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option dsm is 'yes': write true or false");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("classes", "12"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option classes is 12: synthetic scenes have 2..8 classes");
    }

    @Test
    void badGeometryOptionsAreOneLineErrors() {
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("size", "0x180"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option size is 0x180: give both width and height (> 0) or neither");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("scale", "0"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option scale is 0.0: it must be a positive number such as 0.5");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("scale", "half"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option scale is 'half': it must be a number such as 0.5");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("tile", "0x64"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option tile is 0x64: give both tile sides (> 0) or neither");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("tile", "64", "stride", "48", "overlap", "16")))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset options stride and overlap are both set: use one of them");
    }

    @Test
    void badChannelSyntheticAndCacheOptionsAreOneLineErrors() {
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("images", "many"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option images is 'many': it must be a whole number");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("images", "0"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option images is 0: a synthetic split needs at least 1 image");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("channels", "-1"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option channels is -1: use 1, 3 or the file's band count");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("imageSize", "4x16"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option imageSize is 4x16: synthetic images need at least 8x8 pixels");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("classes", "1"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option classes is 1: synthetic scenes have 2..8 classes");
        assertThatThrownBy(() -> DataOptions.fromMap(Map.of("cacheMb", "-1"))).isInstanceOf(SemiactiveException.class)
                .hasMessage("dataset option cacheMb is -1: use 0 or more megabytes");
    }

    @Test
    void openImagesGivesUnlabelledSamplesUnderAGivenLabelSpace() {
        Fixtures.rgb(dir.resolve("b.jpg"), 10, 6, (x, y) -> 0x808080);
        Fixtures.gray(dir.resolve("a.png"), 10, 6, (x, y) -> 10);
        Fixtures.text(dir.resolve("notes.txt"), "not an image");
        SegmentationDataset ds = Datasets.openImages(dir, 3, LabelSpaces.camvid(), DataOptions.builder().optSize(5, 3).build());
        assertThat(ds.ids()).containsExactly("a", "b");
        assertThat(ds.labels()).isEqualTo(LabelSpaces.camvid());
        Sample a = ds.load("a");
        assertThat(a.mask()).isNull();
        assertThat(a.channels()).isEqualTo(3);
        assertThat(a.width()).isEqualTo(5);
        assertThatThrownBy(() -> Datasets.openImages(dir.resolve("none"), 3, LabelSpaces.camvid(), null))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("none");
        Path empty = dir.resolve("empty");
        try {
            java.nio.file.Files.createDirectories(empty);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThatThrownBy(() -> Datasets.openImages(empty, 3, LabelSpaces.camvid(), null))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("holds no images");
    }

    @Test
    void builtInLabelSpaces() {
        assertThat(LabelSpaces.camvid().numClasses()).isEqualTo(11);
        assertThat(LabelSpaces.camvid().paletteRgb().get(3)).isEqualTo(0x804080);
        assertThat(LabelSpaces.cityscapes().numClasses()).isEqualTo(19);
        assertThat(ColourPalette.dubai().valueOf(0x9B9B9B)).isEqualTo(LabelSpace.IGNORE);
        assertThat(ColourPalette.dubai().valueOf(0x000000)).isEqualTo(LabelSpace.IGNORE);
        assertThat(ColourPalette.dubai().valueOf(0xE2A929)).isEqualTo(4);
        assertThat(ColourPalette.vaihingen().valueOf(0xFF0000)).isEqualTo(5);
        assertThat(ColourPalette.vaihingen().valueOf(0x123456)).isEqualTo(-1);
        // default colours are distinct and class 0 is not black
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int i = 0; i < 254; i++) colours.add(LabelSpaces.defaultColour(i));
        assertThat(colours).hasSize(254).doesNotContain(0);
    }
}
