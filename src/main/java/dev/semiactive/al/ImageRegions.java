package dev.semiactive.al;

import dev.semiactive.store.StoredRegion;

import java.util.ArrayList;
import java.util.List;

/**
 * The partition of one image into regions: a label map (region index per pixel, row-major, compact:
 * one int per pixel for the whole image, no per-region pixel lists) and the regions it indexes.
 * Every pixel belongs to exactly one region.
 */
public final class ImageRegions {
    private final String imageId;
    private final String kind;
    private final int width;
    private final int height;
    private final int[] labelMap;
    private final List<Region> regions;

    /**
     * Builds the regions from a label map whose values are 0..n-1, every value used. Ids come from
     * {@code idOf} (index -> id).
     */
    public ImageRegions(String imageId, String kind, int width, int height, int[] labelMap,
                        java.util.function.IntFunction<String> idOf) {
        if (labelMap.length != width * height)
            throw new IllegalArgumentException("label map of " + imageId + " has " + labelMap.length + " pixels, not " + width + "x" + height);
        this.imageId = imageId;
        this.kind = kind;
        this.width = width;
        this.height = height;
        this.labelMap = labelMap;
        int n = 0;
        for (int v : labelMap) {
            if (v < 0) throw new IllegalArgumentException("negative region index in the label map of " + imageId);
            n = Math.max(n, v + 1);
        }
        int[] count = new int[n];
        int[] x0 = new int[n], y0 = new int[n], x1 = new int[n], y1 = new int[n];
        java.util.Arrays.fill(x0, Integer.MAX_VALUE);
        java.util.Arrays.fill(y0, Integer.MAX_VALUE);
        for (int y = 0, p = 0; y < height; y++) {
            for (int x = 0; x < width; x++, p++) {
                int r = labelMap[p];
                count[r]++;
                x0[r] = Math.min(x0[r], x);
                y0[r] = Math.min(y0[r], y);
                x1[r] = Math.max(x1[r], x + 1);
                y1[r] = Math.max(y1[r], y + 1);
            }
        }
        List<Region> list = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            if (count[r] == 0) throw new IllegalArgumentException("region index " + r + " of " + imageId + " has no pixels: indices must be compact");
            list.add(new Region(idOf.apply(r), imageId, kind, r, x0[r], y0[r], x1[r], y1[r], count[r]));
        }
        this.regions = List.copyOf(list);
    }

    public String imageId() {
        return imageId;
    }

    public String kind() {
        return kind;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Region index per pixel (the array itself: do not modify). */
    public int[] labelMap() {
        return labelMap;
    }

    public List<Region> regions() {
        return regions;
    }

    public int size() {
        return regions.size();
    }

    public Region region(int index) {
        return regions.get(index);
    }

    /** Raster indices of one region's pixels, ascending (scans only its bounding box). */
    public int[] pixels(int index) {
        Region r = regions.get(index);
        int[] px = new int[r.pixelCount()];
        int n = 0;
        for (int y = r.y0(); y < r.y1(); y++)
            for (int x = r.x0(), p = y * width + x; x < r.x1(); x++, p++)
                if (labelMap[p] == index) px[n++] = p;
        return px;
    }

    /** The regions as the store records them. */
    public List<StoredRegion> storedRegions() {
        return regions.stream().map(Region::toStored).toList();
    }

    /** Stores this partition in a project store (image must be stored already). Idempotent. */
    public void saveTo(dev.semiactive.store.ProjectStore store) {
        store.putRegionMap(imageId, kind, width, height, labelMap, storedRegions());
    }
}
