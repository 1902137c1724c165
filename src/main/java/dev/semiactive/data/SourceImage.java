package dev.semiactive.data;

import java.nio.file.Path;

/**
 * One source image file of a dataset split with its companions.
 *
 * @param name  stable sample name (relative path without extension)
 * @param image the image file
 * @param mask  the mask file, or null when the image is unlabelled
 * @param aux   an extra per-image file (Vaihingen DSM), or null
 */
record SourceImage(String name, Path image, Path mask, Path aux) {
}
