package dev.semiactive.web;

import java.util.BitSet;
import java.util.Optional;

/**
 * What the annotation page shows of a pool image, by the image id the project store knows. The server
 * looks every id up in the store first, so an implementation is only ever asked about pool images and
 * never sees a path that came from a request.
 *
 * <p>Everything is at the store's working resolution ({@code StoredImage.width() x height()}); per-pixel
 * arrays are row-major ({@code y * width + x}). The server checks their lengths and answers 500 with a
 * message naming the image when one does not fit.
 */
public interface ProjectImages {
    /** The image itself as PNG bytes (RGB or grey) at working resolution. */
    byte[] imagePng(String imageId);

    /** The current model's predicted class per pixel ({@code LabelSpace.IGNORE} = none), if there is one. */
    Optional<int[]> prediction(String imageId);

    /** Pixels flagged for the annotator's attention (e.g. predictions PLAR changed), if any. */
    Optional<BitSet> flagged(String imageId);

    /** Pixels PLAR left undecided, if any. */
    Optional<BitSet> undecided(String imageId);
}
