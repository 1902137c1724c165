package dev.semiactive.data;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FolderFormatTest {
    @TempDir
    Path root;

    @Test
    void classesTxtWithOptionalColoursAndIndexMasks() {
        Fixtures.text(root.resolve("classes.txt"), "# my classes\nbackground\nroof #FF0000\n\nsolar panel #00ff00\n");
        Fixtures.rgb(root.resolve("train/images/x2.png"), 5, 4, (x, y) -> 0x00FF00);
        Fixtures.gray(root.resolve("train/masks/x2.png"), 5, 4, (x, y) -> x < 3 ? x : 255);
        Fixtures.rgb(root.resolve("train/images/x1.jpg"), 5, 4, (x, y) -> 0);
        Fixtures.gray(root.resolve("train/masks/x1.png"), 5, 4, (x, y) -> 0);
        SegmentationDataset ds = Datasets.open("folder", root, "train", DataOptions.defaults());
        assertThat(ds.labels().classNames()).containsExactly("background", "roof", "solar panel");
        assertThat(ds.labels().paletteRgb()).containsExactly(LabelSpaces.defaultColour(0), 0xFF0000, 0x00FF00);
        assertThat(ds.ids()).containsExactly("x1", "x2");
        assertThat(ds.load("x2").mask()).startsWith(0, 1, 2, 255, 255);
    }

    @Test
    void classesYamlListOrMapAndPaletteIndexedMasks() {
        Fixtures.text(root.resolve("classes.yaml"), "classes: [sky, grass]\n");
        Fixtures.rgb(root.resolve("s/images/a.png"), 4, 2, (x, y) -> 0);
        Fixtures.indexed(root.resolve("s/masks/a.png"), 4, 2, new int[]{0xFF0000, 0x00FF00}, (x, y) -> x % 2);
        SegmentationDataset ds = Datasets.open("folder", root, "s", DataOptions.defaults());
        assertThat(ds.labels().classNames()).containsExactly("sky", "grass");
        // palette PNG masks hold class ids as palette indices
        assertThat(ds.load("a").mask()).containsExactly(0, 1, 0, 1, 0, 1, 0, 1);

        Path json = Fixtures.text(root.resolve("c.json"), "{\"classes\": {\"a\": \"#010203\", \"b\": [4, 5, 6]}}");
        assertThat(LabelSpaces.readClassFile(json).paletteRgb()).containsExactly(0x010203, 0x040506);
    }

    @Test
    void valueOutsideTheClassListAndColourMasksAreErrors() {
        Fixtures.text(root.resolve("classes.txt"), "a\nb\n");
        Fixtures.rgb(root.resolve("s/images/a.png"), 4, 4, (x, y) -> 0);
        Fixtures.gray(root.resolve("s/masks/a.png"), 4, 4, (x, y) -> x == 3 ? 2 : 0);
        Fixtures.rgb(root.resolve("s/images/b.png"), 4, 4, (x, y) -> 0);
        Fixtures.rgb(root.resolve("s/masks/b.png"), 4, 4, (x, y) -> 0xFF0000);
        SegmentationDataset ds = Datasets.open("folder", root, "s", DataOptions.defaults());
        assertThatThrownBy(() -> ds.load("a")).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("s/masks/a.png").hasMessageContaining("value 2").hasMessageContaining("(3,0)");
        assertThatThrownBy(() -> ds.load("b")).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("s/masks/b.png").hasMessageContaining("colour-coded").hasMessageContaining("palette");
    }

    @Test
    void missingClassFileAndDuplicateNamesAreErrors() {
        Fixtures.rgb(root.resolve("s/images/a.png"), 4, 4, (x, y) -> 0);
        Fixtures.gray(root.resolve("s/masks/a.png"), 4, 4, (x, y) -> 0);
        assertThatThrownBy(() -> Datasets.open("folder", root, "s", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("folder dataset " + root + " has no class file: create " + root.resolve("classes.txt")
                        + " with one class name per line (in mask value order)");
        Fixtures.text(root.resolve("classes.txt"), "a\n");
        Fixtures.rgb(root.resolve("s/images/a.jpg"), 4, 4, (x, y) -> 0);
        assertThatThrownBy(() -> Datasets.open("folder", root, "s", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("images " + root.resolve("s/images/a.jpg") + " and " + root.resolve("s/images/a.png")
                        + " have the same name 'a': rename one, sample ids must be unique");
    }

    @Test
    void grayImagesAreReadWithTheConfiguredChannels() {
        Fixtures.text(root.resolve("classes.txt"), "a\n");
        Fixtures.gray(root.resolve("s/images/g.png"), 3, 3, (x, y) -> 51);
        Fixtures.gray(root.resolve("s/masks/g.png"), 3, 3, (x, y) -> 0);
        Sample rgb = Datasets.open("folder", root, "s", DataOptions.defaults()).load("g");
        assertThat(rgb.channels()).isEqualTo(3);
        assertThat(rgb.image()).containsOnly(0.2f);
        SegmentationDataset one = Datasets.open("folder", root, "s", DataOptions.builder().optChannels(1).build());
        assertThat(one.channels()).isEqualTo(1);
        assertThat(one.load("g").image()).hasSize(9);
    }
}
