package dev.semiactive.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;

/** Writes small image/mask files for tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Path rgb(Path file, int w, int h, IntBinaryOperator rgbAt) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgbAt.applyAsInt(x, y));
        return write(file, img, formatOf(file));
    }

    static Path gray(Path file, int w, int h, IntBinaryOperator valueAt) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, valueAt.applyAsInt(x, y));
        return write(file, img, formatOf(file));
    }

    /** An indexed (palette) PNG whose pixels are palette indices into {@code colours}. */
    static Path indexed(Path file, int w, int h, int[] colours, IntBinaryOperator indexAt) {
        byte[] r = new byte[colours.length], g = new byte[colours.length], b = new byte[colours.length];
        for (int i = 0; i < colours.length; i++) {
            r[i] = (byte) (colours[i] >> 16);
            g[i] = (byte) (colours[i] >> 8);
            b[i] = (byte) colours[i];
        }
        int bits = colours.length <= 2 ? 1 : colours.length <= 4 ? 2 : colours.length <= 16 ? 4 : 8;
        IndexColorModel cm = new IndexColorModel(bits, colours.length, r, g, b);
        BufferedImage img = new BufferedImage(w, h, bits == 8 ? BufferedImage.TYPE_BYTE_INDEXED : BufferedImage.TYPE_BYTE_BINARY, cm);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, indexAt.applyAsInt(x, y));
        return write(file, img, "png");
    }

    static Path write(Path file, BufferedImage img, String format) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(img, format, file.toFile())) throw new IllegalStateException("no writer for " + format);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path text(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String formatOf(Path file) {
        String n = file.getFileName().toString().toLowerCase();
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) return "jpg";
        if (n.endsWith(".tif") || n.endsWith(".tiff")) return "tiff";
        return "png";
    }

    /** The RGB value (0..255 each) at (x, y) of a CHW sample image. */
    static int rgbAt(Sample s, int x, int y) {
        int n = s.height() * s.width();
        int i = y * s.width() + x;
        return (Math.round(s.image()[i] * 255) << 16) | (Math.round(s.image()[n + i] * 255) << 8) | Math.round(s.image()[2 * n + i] * 255);
    }
}
