package dev.semiactive.data;

/**
 * A single-plane integer raster, row-major: raw mask values (class indices, label ids) or packed
 * 0xRRGGBB colours of a colour-coded mask, depending on which {@link MaskIo} reader produced it.
 */
public record IntImage(int height, int width, int[] values) {
    public IntImage {
        if (height < 1 || width < 1) throw new IllegalArgumentException("bad raster shape " + height + "x" + width);
        if (values.length != height * width)
            throw new IllegalArgumentException("values length " + values.length + " != " + height + "x" + width);
    }
}
