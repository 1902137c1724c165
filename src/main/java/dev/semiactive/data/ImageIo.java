package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Image file IO for the whole project (datasets, predict, export): header-only sizes, decoding to CHW
 * floats, encoding CHW floats back to a displayable image, atomic PNG writes. Pure javax.imageio; TIFF
 * comes from the TwelveMonkeys plugin on the classpath. Every failure is a one-line
 * {@link SemiactiveException} naming the file.
 */
public final class ImageIo {
    static {
        // The disk cache only slows small reads down and litters java.io.tmpdir.
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    private ImageIo() {
    }

    /** Width and height of an image. */
    public record Size(int width, int height) {
        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    private static final Set<String> SUFFIXES;

    static {
        Set<String> out = new TreeSet<>();
        for (String s : ImageIO.getReaderFileSuffixes()) out.add(s.toLowerCase(Locale.ROOT));
        SUFFIXES = Collections.unmodifiableSet(out);
    }

    /** Lower-case file suffixes some installed reader decodes (png, jpg, jpeg, tif, tiff, bmp, gif, ...). */
    public static Set<String> readableSuffixes() {
        return SUFFIXES;
    }

    /** True for a regular, non-hidden file whose suffix an installed reader handles. */
    public static boolean isImageFile(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".") || !Files.isRegularFile(file)) return false;
        int dot = name.lastIndexOf('.');
        return dot > 0 && readableSuffixes().contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** File name without its last extension: "a/b/img_01.png" -> "img_01". */
    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Reads only the header: cheap enough to call for every image of a tiled dataset. */
    public static Size size(Path file) {
        return withReader(file, "image", reader -> new Size(reader.getWidth(0), reader.getHeight(0)));
    }

    /**
     * Decodes a file as a {@link BufferedImage}. A decoder warning (e.g. a truncated JPEG, which ImageIO
     * would otherwise fill with grey) is treated as corruption.
     */
    public static BufferedImage readBuffered(Path file) {
        return readBuffered(file, "image");
    }

    static BufferedImage readBuffered(Path file, String what) {
        return withReader(file, what, reader -> {
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            BufferedImage img = reader.read(0);
            if (!warnings.isEmpty())
                throw new IIOException("decoder warning: " + warnings.get(0));
            return img;
        });
    }

    /**
     * Decodes to CHW floats with the file's own channel count: palette images become RGB, alpha is
     * dropped, gray stays 1 channel, multi-band TIFFs keep every band. Integer samples are scaled to
     * [0, 1] by their bit depth; float samples come as the decoder gives them (the TIFF plugin clamps
     * them to [0, 1]: use {@link #readRaw} for measurement rasters).
     */
    public static ChwImage read(Path file) {
        return fromBuffered(readBuffered(file), file);
    }

    /**
     * Decodes to exactly {@code channels} channels: a gray image is replicated to 3 channels when 3 are
     * asked for; any other mismatch is an error naming the file.
     */
    public static ChwImage read(Path file, int channels) {
        return toChannels(read(file), channels, file);
    }

    /**
     * Raw sample values of every band, not scaled and not colour-converted: for measurement rasters such
     * as a DSM, where the number matters and not its look. Uses {@link ImageReader#readRaster} where the
     * reader supports it, because the TIFF plugin clamps float samples to [0, 1] in {@code read()} (for
     * display) but not in {@code readRaster()}.
     */
    public static ChwImage readRaw(Path file) {
        Raster raster = withReader(file, "image", reader -> {
            if (reader.canReadRaster()) return reader.readRaster(0, null);
            return reader.read(0).getRaster();
        });
        int w = raster.getWidth(), h = raster.getHeight(), n = w * h, bands = raster.getNumBands();
        float[] out = new float[bands * n];
        float[] plane = new float[n];
        for (int b = 0; b < bands; b++) {
            raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, b, plane);
            System.arraycopy(plane, 0, out, b * n, n);
        }
        return new ChwImage(bands, h, w, out);
    }

    /** Adapts a decoded image to a channel count (gray -> RGB by replication), or fails naming the file. */
    static ChwImage toChannels(ChwImage img, int channels, Path file) {
        if (img.channels() == channels) return img;
        if (img.channels() == 1 && channels == 3) {
            int n = img.plane();
            float[] out = new float[3 * n];
            for (int c = 0; c < 3; c++) System.arraycopy(img.data(), 0, out, c * n, n);
            return new ChwImage(3, img.height(), img.width(), out);
        }
        throw new SemiactiveException("image " + file + " has " + img.channels() + " channel(s) but the dataset expects "
                + channels + ": convert the image or set the dataset's channels option to " + img.channels());
    }

    /** Converts a decoded image to CHW floats (see {@link #read(Path)}); {@code file} is only for messages. */
    public static ChwImage fromBuffered(BufferedImage img, Path file) {
        int w = img.getWidth();
        int h = img.getHeight();
        int n = w * h;
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel) {
            int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
            float[] out = new float[3 * n];
            for (int i = 0; i < n; i++) {
                out[i] = ((rgb[i] >> 16) & 0xFF) / 255f;
                out[n + i] = ((rgb[i] >> 8) & 0xFF) / 255f;
                out[2 * n + i] = (rgb[i] & 0xFF) / 255f;
            }
            return new ChwImage(3, h, w, out);
        }
        Raster raster = img.getRaster();
        int bands = raster.getNumBands();
        int keep = cm != null && cm.hasAlpha() && bands > 1 ? bands - 1 : bands;
        int type = raster.getDataBuffer().getDataType();
        boolean floating = type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE;
        float[] out = new float[keep * n];
        float[] plane = new float[n];
        for (int b = 0; b < keep; b++) {
            raster.getSamples(0, 0, w, h, b, plane);
            int off = b * n;
            if (floating) {
                System.arraycopy(plane, 0, out, off, n);
                continue;
            }
            // Divide (not multiply by a reciprocal) so 51/255 is exactly the float nearest 0.2.
            float max = type == DataBuffer.TYPE_SHORT ? Short.MAX_VALUE
                    : (float) ((1L << raster.getSampleModel().getSampleSize(b)) - 1);
            for (int i = 0; i < n; i++) out[off + i] = plane[i] / max;
        }
        return new ChwImage(keep, h, w, out);
    }

    /**
     * A displayable image from CHW floats in [0, 1]: the first 3 channels as RGB (so IRRG shows as
     * false colour and a 4th DSM channel is left out), or gray for 1-2 channels. Values are clamped.
     */
    public static BufferedImage toBufferedImage(ChwImage img) {
        return toBufferedImage(img.data(), img.channels(), img.height(), img.width());
    }

    public static BufferedImage toBufferedImage(float[] chw, int channels, int height, int width) {
        int n = height * width;
        if (chw.length != channels * n) throw new IllegalArgumentException("image length does not match its shape");
        if (channels >= 3) {
            BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int[] rgb = new int[n];
            for (int i = 0; i < n; i++)
                rgb[i] = (toByte(chw[i]) << 16) | (toByte(chw[n + i]) << 8) | toByte(chw[2 * n + i]);
            out.setRGB(0, 0, width, height, rgb, 0, width);
            return out;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        int[] gray = new int[n];
        for (int i = 0; i < n; i++) gray[i] = toByte(chw[i]);
        out.getRaster().setSamples(0, 0, width, height, 0, gray);
        return out;
    }

    static int toByte(float v) {
        int b = Math.round(v * 255f);
        return b < 0 ? 0 : Math.min(b, 255);
    }

    /** Writes a PNG atomically (temp file in the same folder, then rename); creates parent folders. */
    public static void writePng(Path file, BufferedImage img) {
        write(file, img, "png");
    }

    /** Writes any format an installed writer knows ("png", "tiff", "jpg"...), atomically. */
    public static void write(Path file, BufferedImage img, String format) {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, format, out))
                throw new IOException("no " + format + " writer for this image type");
        });
    }

    interface ReaderAction<T> {
        T apply(ImageReader reader) throws IOException;
    }

    /** Opens the first reader that recognises the file's content (not its suffix) and runs an action. */
    static <T> T withReader(Path file, String what, ReaderAction<T> action) {
        if (!Files.isRegularFile(file))
            throw new SemiactiveException(what + " " + file + " does not exist: check the dataset folder and file name");
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new IOException("cannot open stream");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext())
                throw new SemiactiveException("cannot read " + what + " " + file
                        + ": not a recognised image format (PNG, JPEG, TIFF, BMP, GIF); replace or remove the file");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return action.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (SemiactiveException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SemiactiveException("cannot read " + what + " " + file + " (" + oneLine(e)
                    + "): the file is corrupt or truncated; replace or remove it", e);
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
