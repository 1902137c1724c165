package dev.semiactive.al;

import dev.semiactive.store.StoredRegion;

/**
 * One region of one pool image: the unit that is scored, selected, and labelled. Small by design (no
 * pixel list): its pixels are those of {@link ImageRegions#labelMap()} equal to {@link #index()}, inside
 * the bounding box.
 *
 * @param id         stable id, see {@link RegionIds}
 * @param imageId    the image
 * @param kind       the regionizer that made it, e.g. "g16" or "slic"
 * @param index      its value in the image's label map (0..n-1)
 * @param x0         bounding box, inclusive
 * @param y0         bounding box, inclusive
 * @param x1         bounding box, exclusive
 * @param y1         bounding box, exclusive
 * @param pixelCount number of pixels (its label cost)
 */
public record Region(String id, String imageId, String kind, int index, int x0, int y0, int x1, int y1, int pixelCount) {
    public Region {
        if (pixelCount <= 0) throw new IllegalArgumentException("region " + id + " has no pixels");
    }

    /** The same region as the store records it. */
    public StoredRegion toStored() {
        return new StoredRegion(id, imageId, kind, index, x0, y0, x1, y1, pixelCount);
    }

    public static Region fromStored(StoredRegion r) {
        return new Region(r.id(), r.imageId(), r.kind(), r.index(), r.x0(), r.y0(), r.x1(), r.y1(), r.pixelCount());
    }
}
