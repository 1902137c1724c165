package dev.semiactive.data;

import dev.semiactive.SemiactiveException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a dataset split is brought to working resolution, plus format-specific switches.
 *
 * <p>Geometry, applied per source image in this order: resize to {@code width x height} (when set) or
 * scale by {@code scale} (when != 1; the two are exclusive), then, when {@code tileWidth > 0}, cut into
 * tiles of exactly {@code tileWidth x tileHeight} every {@code strideX}/{@code strideY} pixels. The last
 * tile of a row/column is aligned to the image edge (it overlaps its neighbour rather than hanging
 * over), and an image smaller than a tile gives one tile padded with image 0 / mask IGNORE; so every
 * tile has the same shape even when source sizes differ by a pixel. Tile ids are {@code name@x_y} with
 * x, y the tile's top-left corner at working resolution.
 *
 * <p>Build with {@link #builder()} (all settings optional) or from a config map with {@link #fromMap}.
 *
 * @param width            resize target width, 0 = native
 * @param height           resize target height, 0 = native
 * @param scale            scale factor when no resize target is set (1 = native)
 * @param tileWidth        tile width, 0 = no tiling
 * @param tileHeight       tile height
 * @param strideX          horizontal tile step (= tileWidth: no overlap)
 * @param strideY          vertical tile step
 * @param dsm              vaihingen: append the DSM, normalised to [0, 1] per source image, as a 4th channel
 * @param requireMasks     true: a missing mask folder/file is an error; false: such images load unlabelled (null mask)
 * @param channels         folder / images-only formats: channels to read (0 = 3, RGB)
 * @param paletteFile      palette format: palette file to use instead of {@code <root>/palette.yaml|yml|json}
 * @param syntheticCount   synthetic: images per split
 * @param syntheticWidth   synthetic: generated width
 * @param syntheticHeight  synthetic: generated height
 * @param syntheticClasses synthetic: number of classes including background (2..8)
 * @param seed             synthetic: seed (with the split name it fixes every scene)
 * @param cacheMegabytes   tiled datasets: memory for decoded source images at working resolution (LRU, 0 =
 *                         none), so the tiles of one image decode it once even in shuffled order; the
 *                         Dubai training tiles at scale 0.5 take about 110 MB
 */
public record DataOptions(int width, int height, double scale,
                          int tileWidth, int tileHeight, int strideX, int strideY,
                          boolean dsm, boolean requireMasks, int channels, Path paletteFile,
                          int syntheticCount, int syntheticWidth, int syntheticHeight, int syntheticClasses, long seed,
                          int cacheMegabytes) {

    public DataOptions {
        if (width < 0 || height < 0 || (width == 0) != (height == 0))
            throw new SemiactiveException("dataset option size is " + width + "x" + height + ": give both width and height (> 0) or neither");
        if (!(scale > 0) || Double.isInfinite(scale))
            throw new SemiactiveException("dataset option scale is " + scale + ": it must be a positive number such as 0.5");
        if (width > 0 && scale != 1.0)
            throw new SemiactiveException("dataset options size and scale are both set: use one of them");
        if (tileWidth < 0 || tileHeight < 0 || (tileWidth == 0) != (tileHeight == 0))
            throw new SemiactiveException("dataset option tile is " + tileWidth + "x" + tileHeight + ": give both tile sides (> 0) or neither");
        if (tileWidth > 0 && (strideX <= 0 || strideY <= 0 || strideX > tileWidth || strideY > tileHeight))
            throw new SemiactiveException("dataset option stride is " + strideX + "x" + strideY + ": it must be between 1 and the tile size "
                    + tileWidth + "x" + tileHeight + " (smaller = overlapping tiles)");
        if (channels < 0) throw new SemiactiveException("dataset option channels is " + channels + ": use 1, 3 or the file's band count");
        if (syntheticCount < 1) throw new SemiactiveException("dataset option images is " + syntheticCount + ": a synthetic split needs at least 1 image");
        if (syntheticWidth < 8 || syntheticHeight < 8)
            throw new SemiactiveException("dataset option imageSize is " + syntheticWidth + "x" + syntheticHeight + ": synthetic images need at least 8x8 pixels");
        if (syntheticClasses < 2 || syntheticClasses > SyntheticScenes.MAX_CLASSES)
            throw new SemiactiveException("dataset option classes is " + syntheticClasses + ": synthetic scenes have 2.." + SyntheticScenes.MAX_CLASSES + " classes");
        if (cacheMegabytes < 0) throw new SemiactiveException("dataset option cacheMb is " + cacheMegabytes + ": use 0 or more megabytes");
    }

    public static DataOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean resized() {
        return width > 0;
    }

    public boolean tiled() {
        return tileWidth > 0;
    }

    /** Working size of a source image of native size {@code w x h} (before tiling). */
    public ImageIo.Size workingSize(int w, int h) {
        if (resized()) return new ImageIo.Size(width, height);
        if (scale != 1.0) return SampleOps.scaled(w, h, scale);
        return new ImageIo.Size(w, h);
    }

    /** A builder holding these values, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.width = width;
        b.height = height;
        b.scale = scale;
        b.tileWidth = tileWidth;
        b.tileHeight = tileHeight;
        b.strideX = strideX;
        b.strideY = strideY;
        b.dsm = dsm;
        b.requireMasks = requireMasks;
        b.channels = channels;
        b.paletteFile = paletteFile;
        b.syntheticCount = syntheticCount;
        b.syntheticWidth = syntheticWidth;
        b.syntheticHeight = syntheticHeight;
        b.syntheticClasses = syntheticClasses;
        b.seed = seed;
        b.cacheMegabytes = cacheMegabytes;
        return b;
    }

    /**
     * Options from a config map (values may be strings, numbers or booleans). Keys: {@code size} ("240x180"),
     * {@code scale} (0.5), {@code tile} ("256x256" or 256), {@code stride} ("192x192" or 192),
     * {@code overlap} (pixels, alternative to stride), {@code dsm}, {@code requireMasks}, {@code channels},
     * {@code palette} (path), {@code images}, {@code imageSize} ("64x64"), {@code classes}, {@code seed},
     * {@code cacheMb}. An unknown key is an error listing the known ones.
     */
    public static DataOptions fromMap(Map<String, ?> map) {
        Builder b = builder();
        Integer overlap = null;
        int[] stride = null;
        for (Map.Entry<String, ?> e : new LinkedHashMap<>(map).entrySet()) {
            String key = e.getKey();
            String v = String.valueOf(e.getValue()).strip();
            switch (key) {
                case "size" -> {
                    int[] s = pair(key, v);
                    b.optSize(s[0], s[1]);
                }
                case "scale" -> b.optScale(number(key, v));
                case "tile" -> {
                    int[] s = pair(key, v);
                    b.optTile(s[0], s[1]);
                }
                case "stride" -> stride = pair(key, v);
                case "overlap" -> overlap = integer(key, v);
                case "dsm" -> b.optDsm(bool(key, v));
                case "requireMasks" -> b.optRequireMasks(bool(key, v));
                case "channels" -> b.optChannels(integer(key, v));
                case "palette" -> b.optPaletteFile(Path.of(v));
                case "images" -> b.syntheticCount = integer(key, v);
                case "imageSize" -> {
                    int[] s = pair(key, v);
                    b.syntheticWidth = s[0];
                    b.syntheticHeight = s[1];
                }
                case "classes" -> b.syntheticClasses = integer(key, v);
                case "seed" -> b.optSeed(integer(key, v));
                case "cacheMb" -> b.optCacheMegabytes(integer(key, v));
                default -> throw new SemiactiveException("unknown dataset option '" + key
                        + "': known options are size, scale, tile, stride, overlap, dsm, requireMasks, channels, palette, images, imageSize, classes, seed, cacheMb");
            }
        }
        if (stride != null && overlap != null)
            throw new SemiactiveException("dataset options stride and overlap are both set: use one of them");
        if (stride != null) b.optTileStride(stride[0], stride[1]);
        if (overlap != null) b.optTileOverlap(overlap);
        return b.build();
    }

    private static int[] pair(String key, String v) {
        String[] parts = v.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 1) {
                int n = Integer.parseInt(parts[0].strip());
                return new int[]{n, n};
            }
            if (parts.length == 2) return new int[]{Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
        } catch (NumberFormatException ignored) {
            // falls through to the message below
        }
        throw new SemiactiveException("dataset option " + key + " is '" + v + "': write WIDTHxHEIGHT such as 256x256");
    }

    private static int integer(String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new SemiactiveException("dataset option " + key + " is '" + v + "': it must be a whole number");
        }
    }

    private static double number(String key, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new SemiactiveException("dataset option " + key + " is '" + v + "': it must be a number such as 0.5");
        }
    }

    private static boolean bool(String key, String v) {
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new SemiactiveException("dataset option " + key + " is '" + v + "': write true or false");
    }

    /** DJL-style builder; every setting is optional. */
    public static final class Builder {
        private int width, height;
        private double scale = 1.0;
        private int tileWidth, tileHeight, strideX, strideY;
        private boolean strideSet;
        private Integer overlap;
        private boolean dsm;
        private boolean requireMasks = true;
        private int channels;
        private Path paletteFile;
        private int syntheticCount = 64;
        private int syntheticWidth = 64;
        private int syntheticHeight = 64;
        private int syntheticClasses = 4;
        private long seed = 0;
        private int cacheMegabytes = 256;

        private Builder() {
        }

        /** Resize every source image to this size (bilinear image, nearest mask). */
        public Builder optSize(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /** Scale every source image by a factor (e.g. 0.5); exclusive with {@link #optSize}. */
        public Builder optScale(double scale) {
            this.scale = scale;
            return this;
        }

        /** Cut working-resolution images into tiles of this size (stride defaults to the tile size). */
        public Builder optTile(int width, int height) {
            this.tileWidth = width;
            this.tileHeight = height;
            return this;
        }

        public Builder optTileStride(int strideX, int strideY) {
            this.strideX = strideX;
            this.strideY = strideY;
            this.strideSet = true;
            this.overlap = null;
            return this;
        }

        /** Overlap between neighbouring tiles in pixels (stride = tile - overlap). */
        public Builder optTileOverlap(int pixels) {
            this.overlap = pixels;
            this.strideSet = false;
            return this;
        }

        public Builder optDsm(boolean dsm) {
            this.dsm = dsm;
            return this;
        }

        public Builder optRequireMasks(boolean requireMasks) {
            this.requireMasks = requireMasks;
            return this;
        }

        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder optPaletteFile(Path paletteFile) {
            this.paletteFile = paletteFile;
            return this;
        }

        /** Synthetic scenes: images per split, size, classes including background. */
        public Builder optSynthetic(int count, int width, int height, int classes) {
            this.syntheticCount = count;
            this.syntheticWidth = width;
            this.syntheticHeight = height;
            this.syntheticClasses = classes;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Memory budget for decoded source images of a tiled dataset (default 256 MB, 0 = no cache). */
        public Builder optCacheMegabytes(int megabytes) {
            this.cacheMegabytes = megabytes;
            return this;
        }

        public DataOptions build() {
            int sx = strideX, sy = strideY;
            if (overlap != null) {
                sx = tileWidth - overlap;
                sy = tileHeight - overlap;
                if (overlap < 0 || sx <= 0 || sy <= 0)
                    throw new SemiactiveException("dataset option overlap is " + overlap + ": it must be 0 or more and smaller than the tile size");
            } else if (!strideSet) {
                sx = tileWidth;
                sy = tileHeight;
            }
            return new DataOptions(width, height, scale, tileWidth, tileHeight, sx, sy, dsm, requireMasks, channels,
                    paletteFile, syntheticCount, syntheticWidth, syntheticHeight, syntheticClasses, seed, cacheMegabytes);
        }
    }
}
