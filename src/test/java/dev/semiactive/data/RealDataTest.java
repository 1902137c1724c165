package dev.semiactive.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Checks against the shared real datasets; skipped where ../shared/datasets is absent. */
class RealDataTest {
    private static final Path CAMVID = Path.of("../shared/datasets/camvid");
    private static final Path DUBAI = Path.of("../shared/datasets/dubai-aerial");

    @Test
    void camvidTrainAndValOpenWithTheirSizesAndLoadAtWorkingResolution() {
        assumeTrue(Files.isDirectory(CAMVID.resolve("train")), "CamVid not available at " + CAMVID.toAbsolutePath());
        SegmentationDataset train = Datasets.open("camvid", CAMVID, "train", DataOptions.defaults());
        SegmentationDataset val = Datasets.open("camvid", CAMVID, "val", DataOptions.builder().optSize(240, 180).build());
        assertThat(train.size()).isEqualTo(367);
        assertThat(val.size()).isEqualTo(101);
        assertThat(train.ids()).isSorted().doesNotHaveDuplicates();
        assertThat(train.labels().numClasses()).isEqualTo(11);
        assertThat(train.labels().classNames().get(0)).isEqualTo("Sky");
        assertThat(train.labels().classNames().get(10)).isEqualTo("Bicyclist");

        Sample full = train.load(train.ids().get(0));
        assertThat(full.id()).isEqualTo("0001TP_006690");
        assertThat(full.channels()).isEqualTo(3);
        assertThat(full.width()).isEqualTo(480);
        assertThat(full.height()).isEqualTo(360);
        assertThat(IntStream.of(full.mask())).allMatch(v -> v == LabelSpace.IGNORE || (v >= 0 && v < 11));

        Sample small = val.load(val.ids().get(3));
        assertThat(small.width()).isEqualTo(240);
        assertThat(small.height()).isEqualTo(180);
        Set<Integer> classes = new HashSet<>();
        for (int v : small.mask()) classes.add(v);
        assertThat(classes).contains(0, 3).allMatch(v -> v == LabelSpace.IGNORE || v < 11);
        for (float f : small.image()) assertThat(f).isBetween(0f, 1f);
        assertThat(val.describe()).contains("camvid", "101 images", "240x180");
    }

    @Test
    void dubaiTilesDecodeEveryMaskColourAndTileAtScale() {
        assumeTrue(Files.isDirectory(DUBAI.resolve("tile1")), "Dubai aerial not available at " + DUBAI.toAbsolutePath());
        SegmentationDataset train = Datasets.open("palette", DUBAI, "tile1-6", DataOptions.defaults());
        SegmentationDataset val = Datasets.open("palette", DUBAI, "tile7",
                DataOptions.builder().optScale(0.5).optTile(256, 256).build());
        assertThat(train.size()).isEqualTo(54);
        assertThat(train.labels().classNames()).containsExactly("Building", "Land", "Road", "Vegetation", "Water");
        // One image of every tile (RGB and palette masks alike) decodes without an unknown colour.
        for (String tile : List.of("tile1", "tile2", "tile3", "tile4", "tile5", "tile6")) {
            Sample s = train.load(tile + "/image_part_001");
            assertThat(IntStream.of(s.mask())).allMatch(v -> v == LabelSpace.IGNORE || (v >= 0 && v < 5));
        }
        // Tile 7: ~1817x2061 at scale 0.5 -> ~909x1031 -> 4 x 5 tiles of 256 per image, all 256x256.
        assertThat(val.ids()).hasSize(9 * 4 * 5).isSorted();
        Sample t = val.load("tile7/image_part_002@0_0");
        assertThat(t.width()).isEqualTo(256);
        assertThat(t.height()).isEqualTo(256);
        Sample edge = val.load(val.ids().get(val.size() - 1));
        assertThat(edge.width()).isEqualTo(256);
        assertThat(IntStream.of(edge.mask())).allMatch(v -> v == LabelSpace.IGNORE || (v >= 0 && v < 5));
    }
}
