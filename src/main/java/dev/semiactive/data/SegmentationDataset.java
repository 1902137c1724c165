package dev.semiactive.data;

import java.util.List;

/**
 * A split of a dataset, already at working resolution (resized and/or tiled). Ids are stable across
 * runs (sorted file names), never positions. Implementations load lazily: {@link #load} reads from disk
 * each time, so a pool of thousands of images costs no memory until read.
 */
public interface SegmentationDataset {
    /** Classes and colours of this dataset. */
    LabelSpace labels();

    /** Image channels every sample has. */
    int channels();

    /** Stable, sorted sample ids. Never empty (an empty split is a {@link dev.semiactive.SemiactiveException}). */
    List<String> ids();

    /** Reads one sample. Bad data raises a {@link dev.semiactive.SemiactiveException} naming the file. */
    Sample load(String id);

    /** Human-readable origin, e.g. "camvid:/data/camvid/val (101 images)". */
    String describe();

    default int size() {
        return ids().size();
    }
}
