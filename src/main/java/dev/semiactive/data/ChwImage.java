package dev.semiactive.data;

/**
 * A decoded image as planar floats, channel-major (CHW): the layout {@link Sample} and the network use.
 *
 * @param channels number of channels
 * @param height   rows
 * @param width    columns
 * @param data     length channels*height*width; integer formats are scaled to [0, 1], float formats
 *                 (e.g. a DSM TIFF) keep their raw values
 */
public record ChwImage(int channels, int height, int width, float[] data) {
    public ChwImage {
        if (channels < 1 || height < 1 || width < 1)
            throw new IllegalArgumentException("bad image shape " + channels + "x" + height + "x" + width);
        if (data.length != channels * height * width)
            throw new IllegalArgumentException("data length " + data.length + " != " + channels + "x" + height + "x" + width);
    }

    public int plane() {
        return height * width;
    }
}
