package dev.semiactive.data;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Split strings: lists and ranges expand in order; every refusal is one line with the fix. */
class SplitSpecTest {
    @Test
    void listsAndRangesExpandInOrderWithoutDuplicates() {
        assertThat(SplitSpec.expand("tile1,tile3")).containsExactly("tile1", "tile3");
        assertThat(SplitSpec.expand("tile1-3")).containsExactly("tile1", "tile2", "tile3");
        assertThat(SplitSpec.expand("tile2-tile4, tile1")).containsExactly("tile2", "tile3", "tile4", "tile1");
        assertThat(SplitSpec.expand("1-3,7,2")).containsExactly("1", "2", "3", "7");
    }

    @Test
    void emptyItemAsksToRemoveTheStrayComma() {
        assertThatThrownBy(() -> SplitSpec.expand("tile1,,tile2")).isInstanceOf(SemiactiveException.class)
                .hasMessage("split 'tile1,,tile2' has an empty item: remove the stray comma");
        assertThatThrownBy(() -> SplitSpec.expand(",tile1")).isInstanceOf(SemiactiveException.class)
                .hasMessage("split ',tile1' has an empty item: remove the stray comma");
    }

    @Test
    void rangeMixingPrefixesShowsTheRangeToWrite() {
        assertThatThrownBy(() -> SplitSpec.expand("tile1-img3")).isInstanceOf(SemiactiveException.class)
                .hasMessage("split range 'tile1-img3' mixes prefixes 'tile' and 'img': write it as tile1-3");
    }

    @Test
    void blankSplitAsksForAName() {
        for (String blank : new String[]{null, "", "  "})
            assertThatThrownBy(() -> SplitSpec.expand(blank)).isInstanceOf(SemiactiveException.class)
                    .hasMessage("the split is empty: name it, e.g. train, or tile1-6, or 1,3,5");
    }

    @Test
    void descendingRangeAsksForLowHigh() {
        assertThatThrownBy(() -> SplitSpec.expand("tile3-1")).isInstanceOf(SemiactiveException.class)
                .hasMessage("split range 'tile3-1' is not ascending: write it low-high, tile1-3");
        assertThatThrownBy(() -> SplitSpec.expand("5-2")).isInstanceOf(SemiactiveException.class)
                .hasMessage("split range '5-2' is not ascending: write it low-high, 2-5");
        assertThatThrownBy(() -> SplitSpec.expand("img1-20002")).isInstanceOf(SemiactiveException.class)
                .hasMessage("split range 'img1-20002' names 20002 items, more than 10001: name the items of the split, or a smaller range");
    }
}
