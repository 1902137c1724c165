package dev.semiactive.store;

import dev.semiactive.data.LabelSpace;

import java.util.Arrays;

/**
 * The answer for one region: a class per region pixel. This is the unit the store persists; the label
 * mask of an image is composed from these ({@link ProjectStore#labelMask}).
 *
 * @param regionId      the labelled region
 * @param imageId       its image
 * @param pixels        raster indices of the region's pixels, ascending
 * @param labels        class per pixel, same length; {@link LabelSpace#IGNORE} where the annotator
 *                      (or ground truth) says void
 * @param dominantClass the single class given to the whole region when the oracle answers with the
 *                      dominant class only; -1 when labels are per pixel
 * @param labelledBy    oracle name or annotator name
 */
public record RegionLabel(String regionId, String imageId, int[] pixels, int[] labels, int dominantClass,
                          String labelledBy) {
    public RegionLabel {
        if (pixels.length != labels.length)
            throw new IllegalArgumentException("region " + regionId + ": " + pixels.length + " pixels but " + labels.length + " labels");
        if (pixels.length == 0) throw new IllegalArgumentException("region " + regionId + " has no pixels");
        for (int i = 1; i < pixels.length; i++)
            if (pixels[i] <= pixels[i - 1])
                throw new IllegalArgumentException("region " + regionId + ": pixels must be strictly ascending");
        for (int l : labels)
            if (l < 0 || l > LabelSpace.IGNORE)
                throw new IllegalArgumentException("region " + regionId + ": label " + l + " outside 0.." + LabelSpace.IGNORE);
        if (labelledBy == null || labelledBy.isEmpty()) throw new IllegalArgumentException("region " + regionId + ": labelledBy is empty");
    }

    /** A region labelled with one class for all its pixels. */
    public static RegionLabel dominant(String regionId, String imageId, int[] pixels, int cls, String labelledBy) {
        int[] labels = new int[pixels.length];
        Arrays.fill(labels, cls);
        return new RegionLabel(regionId, imageId, pixels, labels, cls, labelledBy);
    }

    public boolean isDominantOnly() {
        return dominantClass >= 0;
    }
}
