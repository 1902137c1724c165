package dev.semiactive.data;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaletteFormatTest {
    private static final int BUILDING = 0x3C1098, LAND = 0x8429F6, ROAD = 0x6EC1E4, VEG = 0xFEDD3A, WATER = 0xE2A929;
    private static final int UNLABELED = 0x9B9B9B;

    @TempDir
    Path root;

    /** Column bands of the five classes plus one unlabelled and one black column. */
    private static int colourAt(int x) {
        int[] c = {BUILDING, LAND, ROAD, VEG, WATER, UNLABELED, 0x000000};
        return c[x % c.length];
    }

    private static int classAt(int x) {
        int v = x % 7;
        return v < 5 ? v : LabelSpace.IGNORE;
    }

    private void writeRgbPart(String part, String name, int w, int h) {
        Fixtures.rgb(root.resolve(part + "/images/" + name + ".jpg"), w, h, (x, y) -> 0x808080);
        Fixtures.rgb(root.resolve(part + "/masks/" + name + ".png"), w, h, (x, y) -> colourAt(x));
    }

    @Test
    void decodesRgbAndPaletteMasksAcrossPartsWithRanges() {
        writeRgbPart("tile1", "image_part_002", 21, 10);
        writeRgbPart("tile1", "image_part_001", 20, 10);
        int[] colours = {BUILDING, LAND, ROAD, VEG, WATER, UNLABELED, 0x000000};
        Fixtures.rgb(root.resolve("tile2/images/image_part_001.jpg"), 14, 9, (x, y) -> 0x808080);
        Fixtures.indexed(root.resolve("tile2/masks/image_part_001.png"), 14, 9, colours, (x, y) -> x % 7);
        writeRgbPart("tile3", "image_part_001", 8, 8);

        SegmentationDataset ds = Datasets.open("palette", root, "tile1-2", DataOptions.defaults());
        assertThat(ds.ids()).containsExactly("tile1/image_part_001", "tile1/image_part_002", "tile2/image_part_001");
        assertThat(ds.labels().classNames()).containsExactly("Building", "Land", "Road", "Vegetation", "Water");
        for (String id : ds.ids()) {
            Sample s = ds.load(id);
            for (int y = 0; y < s.height(); y++)
                for (int x = 0; x < s.width(); x++) assertThat(s.mask()[y * s.width() + x]).as(id + " (%d,%d)", x, y).isEqualTo(classAt(x));
        }
        assertThat(Datasets.open("palette", root, "tile1,tile3", DataOptions.defaults()).ids())
                .containsExactly("tile1/image_part_001", "tile1/image_part_002", "tile3/image_part_001");
        assertThat(Datasets.open("palette", root, "tile1-tile3", DataOptions.defaults()).size()).isEqualTo(4);
    }

    @Test
    void scaleThenTileHandlesSizesThatDifferByAPixel() {
        writeRgbPart("tile1", "a", 41, 30);
        writeRgbPart("tile1", "b", 40, 31);
        writeRgbPart("tile1", "c", 10, 9);   // smaller than a tile after scaling: one padded tile
        SegmentationDataset ds = Datasets.open("palette", root, "tile1",
                DataOptions.builder().optScale(0.5).optTile(8, 8).optCacheMegabytes(1).build());
        // a: 21x15 -> x {0,8,13}, y {0,7}; b: 20x16 -> x {0,8,12}, y {0,8}; c: 5x5 -> one tile
        assertThat(ds.ids()).containsExactly(
                "tile1/a@0_0", "tile1/a@0_7", "tile1/a@13_0", "tile1/a@13_7", "tile1/a@8_0", "tile1/a@8_7",
                "tile1/b@0_0", "tile1/b@0_8", "tile1/b@12_0", "tile1/b@12_8", "tile1/b@8_0", "tile1/b@8_8",
                "tile1/c@0_0");
        assertThat(ds.ids()).isSorted();
        for (String id : ds.ids()) {
            Sample s = ds.load(id);
            assertThat(s.width()).isEqualTo(8);
            assertThat(s.height()).isEqualTo(8);
            assertThat(s.id()).isEqualTo(id);
        }
        Sample small = ds.load("tile1/c@0_0");
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++) {
                int m = small.mask()[y * 8 + x];
                if (x >= 5 || y >= 5) {
                    assertThat(m).isEqualTo(LabelSpace.IGNORE);
                    assertThat(small.image()[y * 8 + x]).isZero();
                }
            }
        assertThat(ds.describe()).contains("13 tiles 8x8").contains("scale 0.5");
    }

    @Test
    void overlappingTilesWithStride() {
        writeRgbPart("tile1", "a", 20, 8);
        SegmentationDataset ds = Datasets.open("palette", root, "tile1",
                DataOptions.builder().optTile(8, 8).optTileOverlap(4).build());
        assertThat(ds.ids()).containsExactly("tile1/a@0_0", "tile1/a@12_0", "tile1/a@4_0", "tile1/a@8_0");
        // tile at x=4 starts with source column 4 -> class of column 4
        assertThat(ds.load("tile1/a@4_0").mask()[0]).isEqualTo(classAt(4));
    }

    @Test
    void unknownColourNamesFilePixelAndColour() {
        Fixtures.rgb(root.resolve("tile1/images/a.jpg"), 6, 6, (x, y) -> 0);
        Fixtures.rgb(root.resolve("tile1/masks/a.png"), 6, 6, (x, y) -> x == 4 && y == 3 ? 0x123456 : LAND);
        SegmentationDataset ds = Datasets.open("palette", root, "tile1", DataOptions.defaults());
        assertThatThrownBy(() -> ds.load("tile1/a")).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("tile1/masks/a.png").hasMessageContaining("#123456").hasMessageContaining("(4,3)")
                .hasMessageContaining("palette");
    }

    @Test
    void paletteFileInTheRootDefinesClassesAndIgnoreColours() {
        Fixtures.text(root.resolve("palette.yaml"), """
                classes:
                  sea: "#0000FF"
                  sand: [255, 255, 0]
                ignore: ["#000000"]
                """);
        Fixtures.rgb(root.resolve("p/images/a.png"), 3, 1, (x, y) -> 0);
        Fixtures.rgb(root.resolve("p/masks/a.png"), 3, 1, (x, y) -> new int[]{0x0000FF, 0xFFFF00, 0}[x]);
        SegmentationDataset ds = Datasets.open("palette", root, "p", DataOptions.defaults());
        assertThat(ds.labels().classNames()).containsExactly("sea", "sand");
        assertThat(ds.labels().paletteRgb()).containsExactly(0x0000FF, 0xFFFF00);
        assertThat(ds.load("p/a").mask()).containsExactly(0, 1, LabelSpace.IGNORE);

        Path json = Fixtures.text(root.resolve("other.json"), "{\"classes\": {\"x\": \"#000000\", \"y\": \"#0000FF\", \"z\": \"#FFFF00\"}}");
        SegmentationDataset viaOption = Datasets.open("palette", root, "p", DataOptions.builder().optPaletteFile(json).build());
        assertThat(viaOption.load("p/a").mask()).containsExactly(1, 2, 0);
    }

    @Test
    void badPaletteFilesAreOneLineErrors() {
        Path unquoted = Fixtures.text(root.resolve("a.yaml"), "classes:\n  sea: #0000FF\n");
        assertThatThrownBy(() -> ColourPalette.load(unquoted)).isInstanceOf(SemiactiveException.class)
                .hasMessage("classes.sea in " + unquoted + " is empty: write colours as quoted \"#RRGGBB\""
                        + " (in YAML an unquoted # starts a comment) or [r, g, b]");
        Path dup = Fixtures.text(root.resolve("b.yaml"), "classes:\n  a: \"#000001\"\n  b: \"#000001\"\n");
        assertThatThrownBy(() -> ColourPalette.load(dup)).isInstanceOf(SemiactiveException.class)
                .hasMessage("palette file " + dup + ": classes a and b share colour #000001; every colour must mean one thing");
        Path noClasses = Fixtures.text(root.resolve("c.yaml"), "colours: 3\n");
        assertThatThrownBy(() -> ColourPalette.load(noClasses)).isInstanceOf(SemiactiveException.class)
                .hasMessage("palette file " + noClasses + " has no 'classes' map: write classes: {Name: \"#RRGGBB\", ...}");
        Path bad = Fixtures.text(root.resolve("d.json"), "{\"classes\": {\"a\": \"#GG0000\"}}");
        assertThatThrownBy(() -> ColourPalette.load(bad)).isInstanceOf(SemiactiveException.class)
                .hasMessage("classes.a in " + bad + " is '#GG0000', not a colour: write it as \"#RRGGBB\"");
    }

    @Test
    void ignoreMustBeAListOfColours() {
        Path notList = Fixtures.text(root.resolve("a.yaml"), "classes:\n  a: \"#000001\"\nignore: \"#000000\"\n");
        assertThatThrownBy(() -> ColourPalette.load(notList)).isInstanceOf(SemiactiveException.class)
                .hasMessage("'ignore' in " + notList + " is not a list: write ignore: [\"#RRGGBB\", ...]");
        Path number = Fixtures.text(root.resolve("b.yaml"), "classes:\n  a: \"#000001\"\nignore: [12]\n");
        assertThatThrownBy(() -> ColourPalette.load(number)).isInstanceOf(SemiactiveException.class)
                .hasMessage("ignore in " + number + " is 12: write colours as quoted \"#RRGGBB\""
                        + " (in YAML an unquoted # starts a comment) or [r, g, b]");
    }

    @Test
    void emptyPaletteFileAsksForTheClasses() {
        Path f = Fixtures.text(root.resolve("palette.yml"), "# nothing yet\n");
        assertThatThrownBy(() -> ColourPalette.load(f)).isInstanceOf(SemiactiveException.class)
                .hasMessage(f + " is empty or not a YAML mapping:"
                        + " write a mapping whose 'classes' key lists the classes (see the documented layout)");
    }

    @Test
    void unknownKeyNamesTheKeysThatAreRead() {
        Path f = Fixtures.text(root.resolve("palette.yaml"), "classes:\n  a: \"#000001\"\ncolors: []\n");
        assertThatThrownBy(() -> ColourPalette.load(f)).isInstanceOf(SemiactiveException.class)
                .hasMessage("unknown key 'colors' in palette file " + f + ": only 'classes' and 'ignore' are read");
    }

    @Test
    void componentAbove255IsRefused() {
        Path f = Fixtures.text(root.resolve("palette.yaml"), "classes:\n  a: [0, 0, 256]\n");
        assertThatThrownBy(() -> ColourPalette.load(f)).isInstanceOf(SemiactiveException.class)
                .hasMessage("classes.a in " + f + " is [0,0,256]: colour components must be 0..255");
    }

    @Test
    void colourBothClassAndIgnoredIsRefused() {
        Path f = Fixtures.text(root.resolve("palette.yaml"), "classes:\n  sea: \"#0000FF\"\nignore: [[0, 0, 255]]\n");
        assertThatThrownBy(() -> ColourPalette.load(f)).isInstanceOf(SemiactiveException.class)
                .hasMessage("palette file " + f + ": colour #0000FF is both class sea and ignored; every colour must mean one thing");
    }

    @Test
    void missingPaletteFileAndTooManyClasses() {
        Path missing = root.resolve("nope.yaml");
        assertThatThrownBy(() -> ColourPalette.load(missing)).isInstanceOf(SemiactiveException.class)
                .hasMessage("palette file " + missing + " does not exist: create it (classes: {name: \"#RRGGBB\"}, ignore: [...])"
                        + " or drop the option");
        StringBuilder json = new StringBuilder("{\"classes\": {");
        for (int i = 0; i < 255; i++) json.append(i == 0 ? "" : ", ").append("\"c").append(i).append("\": [0, 0, ").append(i).append(']');
        Path many = Fixtures.text(root.resolve("many.json"), json.append("}}").toString());
        assertThatThrownBy(() -> ColourPalette.load(many)).isInstanceOf(SemiactiveException.class)
                .hasMessage("palette file " + many + " lists 255 classes: at most 254 are supported (value 255 marks ignored pixels);"
                        + " merge or remove classes");
    }

    @Test
    void missingPartFolderAndMissingMaskAreErrors() {
        writeRgbPart("tile1", "a", 4, 4);
        assertThatThrownBy(() -> Datasets.open("palette", root, "tile1-2", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("tile2").hasMessageContaining("tile1");
        Fixtures.rgb(root.resolve("tile1/images/b.jpg"), 4, 4, (x, y) -> 0);
        assertThatThrownBy(() -> Datasets.open("palette", root, "tile1", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("b.jpg has no mask");
        assertThatThrownBy(() -> Datasets.open("palette", root, "tile3-1", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class)
                .hasMessage("split range 'tile3-1' is not ascending: write it low-high, tile1-3");
    }

    @Test
    void maskFolderMissingCanBeUnlabelled() {
        Fixtures.rgb(root.resolve("pool/images/a.png"), 4, 4, (x, y) -> 0xFFFFFF);
        assertThatThrownBy(() -> Datasets.open("palette", root, "pool", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("masks").hasMessageEndingWith("or name the split in data.unlabelled_split to train on its images unlabelled");
        SegmentationDataset ds = Datasets.open("palette", root, "pool", DataOptions.builder().optRequireMasks(false).build());
        assertThat(ds.load("pool/a").mask()).isNull();
        assertThat(IntStream.range(0, 16).mapToDouble(i -> ds.load("pool/a").image()[i]).min().getAsDouble()).isEqualTo(1.0);
    }
}
