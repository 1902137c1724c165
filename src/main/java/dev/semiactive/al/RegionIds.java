package dev.semiactive.al;

/**
 * Stable region ids. A grid cell is {@code imageId#g<cell>:<row>:<col>} (its position, so the id does
 * not depend on the image content); a SLIC superpixel is {@code imageId#slic:<n>} where n is its index in
 * the connectivity-enforced label map, numbered in raster order of each segment's first pixel, which
 * SLIC's determinism makes stable for the same image and parameters.
 */
public final class RegionIds {
    private RegionIds() {
    }

    public static String grid(String imageId, int cellSize, int row, int col) {
        return imageId + "#g" + cellSize + ":" + row + ":" + col;
    }

    public static String slic(String imageId, int n) {
        return imageId + "#slic:" + n;
    }

    /** The image part of a region id (image ids may themselves contain '#', so the LAST one splits). */
    public static String imageIdOf(String regionId) {
        int i = regionId.lastIndexOf('#');
        if (i <= 0) throw new IllegalArgumentException("'" + regionId + "' is not a region id (imageId#kind:...)");
        return regionId.substring(0, i);
    }
}
