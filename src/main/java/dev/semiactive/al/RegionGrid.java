package dev.semiactive.al;

/**
 * Square cells of {@code cellSize} pixels (default 16) at working resolution, row-major; the last row
 * and column of cells are smaller when the image size is not a multiple of the cell size. Ids:
 * {@code imageId#g<cell>:<row>:<col>}.
 */
public final class RegionGrid implements Regionizer {
    public static final int DEFAULT_CELL = 16;

    private final int cellSize;

    public RegionGrid() {
        this(DEFAULT_CELL);
    }

    public RegionGrid(int cellSize) {
        if (cellSize < 1) throw new IllegalArgumentException("grid cell size " + cellSize + " < 1");
        this.cellSize = cellSize;
    }

    public int cellSize() {
        return cellSize;
    }

    @Override
    public String kind() {
        return "g" + cellSize;
    }

    @Override
    public ImageRegions regionize(String imageId, int channels, int height, int width, float[] chw) {
        return regionize(imageId, height, width);
    }

    /** A grid needs only the size. */
    public ImageRegions regionize(String imageId, int height, int width) {
        int cols = (width + cellSize - 1) / cellSize;
        int[] map = new int[width * height];
        for (int y = 0, p = 0; y < height; y++) {
            int rowBase = (y / cellSize) * cols;
            for (int x = 0; x < width; x++, p++) map[p] = rowBase + x / cellSize;
        }
        return new ImageRegions(imageId, kind(), width, height, map,
            i -> RegionIds.grid(imageId, cellSize, i / cols, i % cols));
    }
}
