package dev.semiactive.data;

/**
 * A decoded image as planar floats, channel-major (CHW): the layout {@link Sample} and the network use.
 *
 * @param channels number of channels
 * @param height   rows
 * @param width    columns
 * @param data     length channels*height*width; {@link ImageIo#read} scales integer formats to [0, 1],
 *                 {@link ImageIo#readRaw} keeps raw sample values (e.g. DSM heights)
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
