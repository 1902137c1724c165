package dev.semiactive.store;

/**
 * One region as stored: its stable id, the image it belongs to, the regionizer kind that made it
 * ("g16", "slic"), its index in the image's region map, its bounding box (x0,y0 inclusive, x1,y1
 * exclusive) and pixel count.
 */
public record StoredRegion(String id, String imageId, String kind, int index,
                           int x0, int y0, int x1, int y1, int pixelCount) {
    public StoredRegion {
        if (pixelCount <= 0) throw new IllegalArgumentException("region " + id + " has no pixels");
    }
}
