package dev.semiactive.data;

import java.util.List;

/**
 * Source images of a dataset split at native resolution, before {@link PreparedDataset} resizes and
 * tiles them. Implementations read lazily.
 */
interface SampleSource {
    /** Sorted, unique, non-empty names; a name is a sample id when the dataset is not tiled. */
    List<String> names();

    /** Native width and height, cheaply (file header, or a known constant). */
    ImageIo.Size nativeSize(String name);

    /** The whole source image with its mask (null when unlabelled), id = name. */
    Sample read(String name);
}
