package dev.semiactive.store;

/**
 * The pixels of one region: raster indices (y * width + x, ascending) into its image.
 */
public record RegionPixels(String regionId, String imageId, int width, int height, int[] pixels) {
}
