package dev.semiactive.data;

import dev.semiactive.train.Checkpoint;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CamvidFormatTest {
    @TempDir
    Path root;

    /** Image colour encodes the class (red = 20 * class) so alignment is checkable; mask value = x % 12. */
    private void writeSplit(String split, String... names) {
        for (String name : names) {
            Fixtures.rgb(root.resolve(split).resolve(name + ".png"), 24, 16, (x, y) -> ((x % 12) * 20) << 16 | y);
            Fixtures.gray(root.resolve(split + "annot").resolve(name + ".png"), 24, 16, (x, y) -> x % 12);
        }
    }

    @Test
    void opensAnySplitNameWithSortedIdsAndMapsUnlabelledToIgnore() {
        writeSplit("train", "b", "a", "c");
        writeSplit("holdout", "z");
        SegmentationDataset ds = Datasets.open("camvid", root, "train", DataOptions.defaults());
        assertThat(ds.ids()).containsExactly("a", "b", "c");
        assertThat(ds.channels()).isEqualTo(3);
        assertThat(ds.labels()).isEqualTo(LabelSpaces.camvid());
        Sample s = ds.load("b");
        assertThat(s.id()).isEqualTo("b");
        assertThat(s.width()).isEqualTo(24);
        assertThat(s.height()).isEqualTo(16);
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 24; x++) {
                int expected = x % 12 == 11 ? LabelSpace.IGNORE : x % 12;
                assertThat(s.mask()[y * 24 + x]).isEqualTo(expected);
                assertThat(Fixtures.rgbAt(s, x, y) >> 16).isEqualTo((x % 12) * 20);
            }
        assertThat(Datasets.open("camvid", root, "holdout", DataOptions.defaults()).ids()).containsExactly("z");
        assertThat(ds.describe()).startsWith("camvid:").contains("3 images");
    }

    @Test
    void resizesImageBilinearAndMaskNearest() {
        writeSplit("train", "a");
        SegmentationDataset ds = Datasets.open("camvid", root, "train", DataOptions.builder().optSize(12, 8).build());
        Sample s = ds.load("a");
        assertThat(s.width()).isEqualTo(12);
        assertThat(s.height()).isEqualTo(8);
        assertThat(s.image()).hasSize(3 * 12 * 8);
        // Nearest: output column x samples source column 2x+1.
        for (int x = 0; x < 12; x++) {
            int src = (2 * x + 1) % 12;
            assertThat(s.mask()[x]).isEqualTo(src == 11 ? LabelSpace.IGNORE : src);
        }
    }

    @Test
    void tilesWithEdgeAlignedLastTile() {
        writeSplit("train", "a");
        SegmentationDataset ds = Datasets.open("camvid", root, "train", DataOptions.builder().optTile(10, 10).build());
        // width 24 -> x in {0, 10, 14}; height 16 -> y in {0, 6}
        assertThat(ds.ids()).containsExactly("a@0_0", "a@0_6", "a@10_0", "a@10_6", "a@14_0", "a@14_6");
        Sample t = ds.load("a@14_6");
        assertThat(t.width()).isEqualTo(10);
        assertThat(t.height()).isEqualTo(10);
        assertThat(t.id()).isEqualTo("a@14_6");
        // pixel (0,0) of the tile is source (14,6): class 2
        assertThat(t.mask()[0]).isEqualTo(2);
        assertThat(Fixtures.rgbAt(t, 0, 0)).isEqualTo((2 * 20) << 16 | 6);
    }

    @Test
    void labelOutsideTheClassListNamesFileAndPixel() {
        Fixtures.rgb(root.resolve("train/a.png"), 8, 8, (x, y) -> 0);
        Fixtures.gray(root.resolve("trainannot/a.png"), 8, 8, (x, y) -> x == 5 && y == 2 ? 17 : 3);
        SegmentationDataset ds = Datasets.open("camvid", root, "train", DataOptions.defaults());
        assertThatThrownBy(() -> ds.load("a")).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("trainannot/a.png").hasMessageContaining("value 17").hasMessageContaining("(5,2)")
                .hasMessageNotContaining("\n");
    }

    @Test
    void maskOfAnotherSizeIsAnErrorWhenTheSplitOpens() {
        // found from the files' headers when the split opens, before any training step that would load it
        Fixtures.rgb(root.resolve("train/a.png"), 8, 8, (x, y) -> 0);
        Fixtures.gray(root.resolve("trainannot/a.png"), 8, 9, (x, y) -> 0);
        assertThatThrownBy(() -> Datasets.open("camvid", root, "train", DataOptions.defaults())).isInstanceOf(SemiactiveException.class)
                .hasMessage("mask " + root.resolve("trainannot/a.png") + " is 8x9 but its image " + root.resolve("train/a.png")
                        + " is 8x8: masks must match their image size");
    }

    @Test
    void missingMaskForAnImageIsReportedAtOpen() {
        writeSplit("train", "a");
        Fixtures.rgb(root.resolve("train/b.png"), 8, 8, (x, y) -> 0);
        assertThatThrownBy(() -> Datasets.open("camvid", root, "train", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("train/b.png has no mask").hasMessageContaining("trainannot/b.png");
        SegmentationDataset lenient = Datasets.open("camvid", root, "train", DataOptions.builder().optRequireMasks(false).build());
        assertThat(lenient.load("a").labelled()).isTrue();
        assertThat(lenient.load("b").labelled()).isFalse();
    }

    @Test
    void splitWithoutAnnotFolderIsAnErrorOrUnlabelledImages() {
        Fixtures.rgb(root.resolve("test/a.png"), 8, 8, (x, y) -> 0x102030);
        assertThatThrownBy(() -> Datasets.open("camvid", root, "test", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("testannot").hasMessageEndingWith("or name the split in data.unlabelled_split to train on its images unlabelled");
        SegmentationDataset ds = Datasets.open("camvid", root, "test", DataOptions.builder().optRequireMasks(false).build());
        Sample s = ds.load("a");
        assertThat(s.mask()).isNull();
        assertThat(Fixtures.rgbAt(s, 3, 3)).isEqualTo(0x102030);
    }

    @Test
    void missingRootOrSplitOrEmptySplitAreOneLineErrors() {
        assertThatThrownBy(() -> Datasets.open("camvid", root.resolve("nope"), "train", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("nope").hasMessageContaining("does not exist");
        writeSplit("train", "a");
        assertThatThrownBy(() -> Datasets.open("camvid", root, "vall", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("vall").hasMessageContaining("train");
        try {
            Files.createDirectories(root.resolve("val"));
            Files.createDirectories(root.resolve("valannot"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThatThrownBy(() -> Datasets.open("camvid", root, "val", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("val").hasMessageContaining("no images");
    }

    @Test
    void corruptImageNamesTheFile() {
        writeSplit("train", "a");
        Fixtures.text(root.resolve("train/bad.png"), "this is not a png");
        Fixtures.gray(root.resolve("trainannot/bad.png"), 4, 4, (x, y) -> 0);
        // a labelled image's header is read when the split opens: the error comes before any training
        assertThatThrownBy(() -> Datasets.open("camvid", root, "train", DataOptions.defaults())).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("train/bad.png").hasMessageContaining("replace or remove");
    }

    @Test
    void truncatedPngIsCorrupt() throws Exception {
        writeSplit("train", "a");
        byte[] bytes = Files.readAllBytes(root.resolve("train/a.png"));
        Files.write(root.resolve("train/a.png"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        SegmentationDataset ds = Datasets.open("camvid", root, "train", DataOptions.defaults());
        assertThatThrownBy(() -> ds.load("a")).isInstanceOf(SemiactiveException.class)
                .hasMessageStartingWith("cannot read image " + root.resolve("train/a.png") + " (")
                .hasMessageEndingWith("): the file is corrupt or truncated; replace or remove it")
                .hasMessageNotContaining("\n");
    }

    @Test
    void unknownIdIsAnError() {
        writeSplit("train", "a");
        SegmentationDataset ds = Datasets.open("camvid", root, "train", DataOptions.defaults());
        assertThatThrownBy(() -> ds.load("zz")).isInstanceOf(SemiactiveException.class).hasMessageContaining("'zz'");
    }

    @Test
    void idsOfAnUnlabelledSplitDoNotReadImages() throws Exception {
        // without masks nothing is checked at open: listing ids reads no file, a corrupt image fails only when loaded
        writeSplit("train", "a", "b");
        Files.writeString(root.resolve("train/a.png"), "garbage");
        Checkpoint.deleteRecursively(root.resolve("trainannot"));
        SegmentationDataset ds = Datasets.open("camvid", root, "train", DataOptions.builder().optRequireMasks(false).build());
        assertThat(ds.ids()).containsExactly("a", "b");
        assertThat(ds.load("b").mask()).isNull();
        assertThatThrownBy(() -> ds.load("a")).isInstanceOf(SemiactiveException.class).hasMessageContaining("train/a.png");
    }
}
