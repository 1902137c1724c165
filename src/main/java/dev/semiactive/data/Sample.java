package dev.semiactive.data;

/**
 * One image at working resolution with its (possibly partial) mask. Plain Java arrays so data loading
 * and augmentation never touch native memory; batches are built into NDArrays inside a step's manager.
 *
 * @param id       stable id (relative path without extension, or "name@x_y" for a tile)
 * @param channels number of image channels (3 for RGB, 3 for IRRG, 4 for IRRG+DSM, ...)
 * @param height   rows
 * @param width    columns
 * @param image    CHW floats in [0, 1], length channels*height*width (not normalised: the model's
 *                 input transform does that)
 * @param mask     class id per pixel, row-major, length height*width; {@link LabelSpace#IGNORE} where
 *                 there is no label; null for an unlabelled image
 */
public record Sample(String id, int channels, int height, int width, float[] image, int[] mask) {
    public Sample {
        if (image.length != channels * height * width)
            throw new IllegalArgumentException("image length " + image.length + " != " + channels + "x" + height + "x" + width);
        if (mask != null && mask.length != height * width)
            throw new IllegalArgumentException("mask length " + mask.length + " != " + height + "x" + width);
    }

    public boolean labelled() {
        return mask != null;
    }

    public Sample withMask(int[] newMask) {
        return new Sample(id, channels, height, width, image, newMask);
    }
}
