package dev.semiactive.web;

import dev.semiactive.data.LabelSpace;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.BitSet;

/**
 * PNG encodings the annotation server sends: class maps in the palette's colours, pixel masks, and (for
 * {@link ProjectImages} implementations) a sample's CHW floats as an RGB picture. Overlays are RGBA with
 * transparent "nothing here" pixels, so the page stacks them over the image and sets their opacity.
 */
public final class Pngs {
    private Pngs() {
    }

    /** A class map in the palette's colours; {@link LabelSpace#IGNORE} and unknown ids are transparent. */
    public static byte[] classes(int[] classes, int width, int height, LabelSpace space) {
        checkLength(classes.length, width, height, "class map");
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int k = space.numClasses();
        int[] argb = new int[classes.length];
        for (int i = 0; i < classes.length; i++) {
            int c = classes[i];
            argb[i] = c >= 0 && c < k ? 0xFF000000 | space.paletteRgb().get(c) : 0;
        }
        img.setRGB(0, 0, width, height, argb, 0, width);
        return encode(img);
    }

    /** A pixel mask: opaque white where set, transparent elsewhere (the page tints it). */
    public static byte[] mask(BitSet bits, int width, int height) {
        if (bits.length() > width * height)
            throw new IllegalArgumentException("mask sets pixel " + (bits.length() - 1) + " of a " + width + "x" + height + " image");
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] argb = new int[width * height];
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) argb[i] = 0xFFFFFFFF;
        img.setRGB(0, 0, width, height, argb, 0, width);
        return encode(img);
    }

    /**
     * A sample's image (CHW floats in [0,1]) as PNG: the first three channels as RGB (IRRG shows as false
     * colour), one or two channels as grey from the first. Values outside [0,1] are clamped.
     */
    public static byte[] fromChw(float[] chw, int channels, int height, int width) {
        if (channels < 1) throw new IllegalArgumentException("image has " + channels + " channels");
        checkLength(chw.length, width, height * channels, "CHW image");
        int plane = width * height;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            int r = byteOf(chw[i]);
            int g = channels >= 3 ? byteOf(chw[plane + i]) : r;
            int b = channels >= 3 ? byteOf(chw[2 * plane + i]) : r;
            rgb[i] = (r << 16) | (g << 8) | b;
        }
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return encode(img);
    }

    private static int byteOf(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    private static void checkLength(int length, int width, int height, String what) {
        if ((long) width * height != length)
            throw new IllegalArgumentException(what + " has " + length + " values, not " + width + "x" + height);
    }

    static byte[] encode(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer in ImageIO");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
