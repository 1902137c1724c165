package dev.semiactive.data;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CityscapesFormatTest {
    @TempDir
    Path root;

    private void write(String split, String city, String stem, int w, int h, java.util.function.IntBinaryOperator labelId) {
        Fixtures.rgb(root.resolve("leftImg8bit/" + split + "/" + city + "/" + stem + "_leftImg8bit.png"), w, h, (x, y) -> 0x404040);
        Fixtures.gray(root.resolve("gtFine/" + split + "/" + city + "/" + stem + "_gtFine_labelIds.png"), w, h, labelId);
    }

    @Test
    void mapsLabelIdsToTrainIds() {
        write("val", "zurich", "zurich_000001_000019", 34, 1, (x, y) -> x);
        write("val", "aachen", "aachen_000000_000019", 4, 1, (x, y) -> 7);
        SegmentationDataset ds = Datasets.open("cityscapes", root, "val", DataOptions.defaults());
        assertThat(ds.ids()).containsExactly("aachen/aachen_000000_000019", "zurich/zurich_000001_000019");
        assertThat(ds.labels().numClasses()).isEqualTo(19);
        assertThat(ds.labels().classNames()).startsWith("road", "sidewalk").endsWith("bicycle");
        int[] m = ds.load("zurich/zurich_000001_000019").mask();
        int I = LabelSpace.IGNORE;
        assertThat(m).containsExactly(I, I, I, I, I, I, I, 0, 1, I, I, 2, 3, 4, I, I, I, 5, I, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                I, I, 16, 17, 18);
        assertThat(ds.load("aachen/aachen_000000_000019").mask()).containsOnly(0);
    }

    @Test
    void invalidLabelIdAndMissingSplit() {
        write("train", "bonn", "bonn_0", 3, 1, (x, y) -> x == 2 ? 40 : 7);
        SegmentationDataset ds = Datasets.open("cityscapes", root, "train", DataOptions.defaults());
        assertThatThrownBy(() -> ds.load("bonn/bonn_0")).isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("value 40").hasMessageContaining("bonn_0_gtFine_labelIds.png");
        assertThatThrownBy(() -> Datasets.open("cityscapes", root, "test", DataOptions.defaults()))
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("leftImg8bit/test");
    }
}
