package dev.semiactive.store;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.BitSet;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compact encodings for the store's blobs. Masks and region maps are piecewise constant along rows, so
 * they are written as runs (unsigned LEB128 varints) and then deflated: a 16x16 grid cell costs a few
 * bytes, a whole-image region map a few kilobytes.
 */
public final class BlobCodec {
    private BlobCodec() {
    }

    /**
     * Encodes a sparse labelling: strictly ascending raster indices with a value each. Runs of
     * consecutive indices with the same value become (gap from the previous run's end, length, value).
     */
    public static byte[] encodeSparse(int[] pixels, int[] values) {
        if (pixels.length != values.length) throw new IllegalArgumentException("pixels and values differ in length");
        VarintWriter w = new VarintWriter();
        w.write(pixels.length);
        int end = 0;
        int i = 0;
        while (i < pixels.length) {
            int j = i + 1;
            while (j < pixels.length && pixels[j] == pixels[j - 1] + 1 && values[j] == values[i]) j++;
            w.write(pixels[i] - end);
            w.write(j - i);
            w.write(values[i]);
            end = pixels[j - 1] + 1;
            i = j;
        }
        return deflate(w.toByteArray());
    }

    /** The (pixels, values) pair of {@link #encodeSparse}, decoded. */
    public record Sparse(int[] pixels, int[] values) {
    }

    public static Sparse decodeSparse(byte[] blob) {
        VarintReader r = new VarintReader(inflate(blob));
        int n = r.read();
        int[] pixels = new int[n];
        int[] values = new int[n];
        int k = 0;
        int end = 0;
        while (k < n) {
            int start = end + r.read();
            int len = r.read();
            int v = r.read();
            for (int t = 0; t < len; t++) {
                pixels[k] = start + t;
                values[k] = v;
                k++;
            }
            end = start + len;
        }
        return new Sparse(pixels, values);
    }

    /** Writes a sparse labelling into a dense mask (later writes win). */
    public static void decodeSparseInto(byte[] blob, int[] mask) {
        VarintReader r = new VarintReader(inflate(blob));
        int n = r.read();
        int k = 0;
        int end = 0;
        while (k < n) {
            int start = end + r.read();
            int len = r.read();
            int v = r.read();
            if (start + len > mask.length)
                throw new IllegalArgumentException("label blob reaches pixel " + (start + len) + " but the mask has " + mask.length);
            Arrays.fill(mask, start, start + len, v);
            k += len;
            end = start + len;
        }
    }

    /** Encodes a dense non-negative int map (label map, class mask) as (value, run length) pairs. */
    public static byte[] encodeDense(int[] map) {
        VarintWriter w = new VarintWriter();
        w.write(map.length);
        int i = 0;
        while (i < map.length) {
            int j = i + 1;
            while (j < map.length && map[j] == map[i]) j++;
            w.write(map[i]);
            w.write(j - i);
            i = j;
        }
        return deflate(w.toByteArray());
    }

    public static int[] decodeDense(byte[] blob) {
        VarintReader r = new VarintReader(inflate(blob));
        int n = r.read();
        int[] map = new int[n];
        int k = 0;
        while (k < n) {
            int v = r.read();
            int len = r.read();
            Arrays.fill(map, k, k + len, v);
            k += len;
        }
        return map;
    }

    public static byte[] encodeBits(BitSet bits) {
        return deflate(bits.toByteArray());
    }

    public static BitSet decodeBits(byte[] blob) {
        return BitSet.valueOf(inflate(blob));
    }

    static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 4));
            byte[] buf = new byte[8192];
            while (!d.finished()) out.write(buf, 0, d.deflate(buf));
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    static byte[] inflate(byte[] blob) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(blob);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, blob.length * 4));
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                // an empty payload (e.g. an image with no undecided pixel) ends with n == 0 and no input left:
                // that is the end of the stream, not a truncation
                if (n == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary()))
                    throw new IllegalArgumentException("truncated blob");
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt blob: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    private static final class VarintWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void write(int v) {
            if (v < 0) throw new IllegalArgumentException("negative value " + v + " in a run encoding");
            while ((v & ~0x7F) != 0) {
                out.write((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write(v);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    private static final class VarintReader {
        private final byte[] buf;
        private int pos;

        VarintReader(byte[] buf) {
            this.buf = buf;
        }

        int read() {
            int v = 0;
            int shift = 0;
            while (true) {
                if (pos >= buf.length) throw new IllegalArgumentException("truncated run encoding");
                int b = buf[pos++] & 0xFF;
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
                shift += 7;
                if (shift > 28) throw new IllegalArgumentException("varint too long");
            }
        }
    }
}
