package dev.semiactive.al;

import dev.semiactive.data.Sample;

/**
 * Splits an image into regions. Implementations are deterministic: the same image and parameters give
 * the same label map and ids, so a resumed run (or the web UI) finds the same regions.
 */
public interface Regionizer {
    /** The kind tag that goes into region ids and the store ("g16", "slic"). */
    String kind();

    /**
     * @param imageId  stable image id
     * @param channels image channels
     * @param height   rows
     * @param width    columns
     * @param chw      CHW floats in [0,1] (a grid ignores it; may be null for a grid)
     */
    ImageRegions regionize(String imageId, int channels, int height, int width, float[] chw);

    default ImageRegions regionize(Sample s) {
        return regionize(s.id(), s.channels(), s.height(), s.width(), s.image());
    }
}
