package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.nio.file.Path;

/**
 * Mask file IO for the whole project: raw index masks, colour-coded masks, 8-bit index PNG output and
 * colour overlays for people to look at. Mask values follow {@link LabelSpace}: class ids 0..K-1 and
 * {@link LabelSpace#IGNORE} (255) for "no label".
 */
public final class MaskIo {
    private MaskIo() {
    }

    /**
     * Reads raw mask values from a single-channel file: 8/16-bit gray, or a palette (indexed) PNG, whose
     * raster holds the palette index. A multi-channel file is accepted only when all its channels are
     * equal (an index mask saved as gray RGB); otherwise it is a colour-coded mask and this fails.
     */
    public static IntImage readIndex(Path file) {
        BufferedImage img = ImageIo.readBuffered(file, "mask");
        int w = img.getWidth();
        int h = img.getHeight();
        Raster raster = img.getRaster();
        int[] values = raster.getSamples(0, 0, w, h, 0, new int[w * h]);
        int bands = raster.getNumBands();
        if (bands > 1 && !(img.getColorModel() instanceof IndexColorModel)) {
            int[] other = new int[w * h];
            // Alpha is not a label channel: compare colour bands only.
            int colourBands = img.getColorModel().getNumColorComponents();
            for (int b = 1; b < colourBands; b++) {
                raster.getSamples(0, 0, w, h, b, other);
                for (int i = 0; i < values.length; i++) {
                    if (other[i] != values[i])
                        throw new SemiactiveException("mask " + file + " is colour-coded (" + bands
                                + " channels differ at pixel (" + (i % w) + "," + (i / w)
                                + ")): index masks must be single-channel class ids (8-bit gray or palette PNG); "
                                + "use the 'palette' format for colour-coded masks");
                }
            }
        }
        return new IntImage(h, w, values);
    }

    /** Reads a colour-coded mask as packed 0xRRGGBB per pixel (palette PNGs are expanded to RGB). */
    public static IntImage readRgb(Path file) {
        BufferedImage img = ImageIo.readBuffered(file, "mask");
        int w = img.getWidth();
        int h = img.getHeight();
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < rgb.length; i++) rgb[i] &= 0xFFFFFF;
        return new IntImage(h, w, rgb);
    }

    /** Writes a mask as an 8-bit gray PNG (class ids as gray values, 255 = ignore), atomically. */
    public static void writeIndexPng(Path file, int[] mask, int height, int width) {
        ImageIo.writePng(file, toGray(mask, height, width));
    }

    /** An 8-bit gray image holding the mask values; values outside 0..255 are a programming error. */
    public static BufferedImage toGray(int[] mask, int height, int width) {
        if (mask.length != height * width) throw new IllegalArgumentException("mask length does not match its shape");
        for (int v : mask) if (v < 0 || v > 255) throw new IllegalArgumentException("mask value " + v + " does not fit 8 bits");
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        out.getRaster().setSamples(0, 0, width, height, 0, mask);
        return out;
    }

    /** The mask in its class colours; ignored pixels are black. */
    public static BufferedImage colourise(int[] mask, int height, int width, LabelSpace labels) {
        return overlay(null, 0, height, width, mask, labels, 1.0);
    }

    /**
     * The image with the mask's class colours blended over it: {@code out = (1-alpha)*image + alpha*colour}
     * on labelled pixels; ignored pixels show the image untouched. {@code imageChw} may be null (colours
     * on black). Shows the first 3 channels (gray for fewer).
     */
    public static BufferedImage overlay(float[] imageChw, int channels, int height, int width, int[] mask,
                                        LabelSpace labels, double alpha) {
        int n = height * width;
        if (mask.length != n) throw new IllegalArgumentException("mask length does not match its shape");
        if (alpha < 0 || alpha > 1) throw new IllegalArgumentException("alpha must be in [0, 1]: " + alpha);
        int[] base = imageChw == null ? new int[n]
                : ImageIo.toBufferedImage(imageChw, channels, height, width).getRGB(0, 0, width, height, null, 0, width);
        int k = labels.numClasses();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int v = mask[i];
            int px = base[i] & 0xFFFFFF;
            if (v == LabelSpace.IGNORE) {
                out[i] = px;
                continue;
            }
            if (v < 0 || v >= k) throw new IllegalArgumentException("mask value " + v + " is not a class (0.." + (k - 1) + ") or IGNORE");
            int c = labels.paletteRgb().get(v);
            out[i] = (blend((px >> 16) & 0xFF, (c >> 16) & 0xFF, alpha) << 16)
                    | (blend((px >> 8) & 0xFF, (c >> 8) & 0xFF, alpha) << 8)
                    | blend(px & 0xFF, c & 0xFF, alpha);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, out, 0, width);
        return img;
    }

    private static int blend(int a, int b, double alpha) {
        return (int) Math.round((1 - alpha) * a + alpha * b);
    }

    /** Writes {@link #overlay} as a PNG, atomically. */
    public static void writeOverlayPng(Path file, float[] imageChw, int channels, int height, int width, int[] mask,
                                       LabelSpace labels, double alpha) {
        ImageIo.writePng(file, overlay(imageChw, channels, height, width, mask, labels, alpha));
    }

    /** Overlay of a sample's own mask on its image (sample must be labelled). */
    public static void writeOverlayPng(Path file, Sample sample, LabelSpace labels, double alpha) {
        if (sample.mask() == null) throw new IllegalArgumentException("sample " + sample.id() + " has no mask");
        writeOverlayPng(file, sample.image(), sample.channels(), sample.height(), sample.width(), sample.mask(), labels, alpha);
    }

    /** Writes {@link #colourise} as a PNG, atomically. */
    public static void writeColourPng(Path file, int[] mask, int height, int width, LabelSpace labels) {
        ImageIo.writePng(file, colourise(mask, height, width, labels));
    }
}
