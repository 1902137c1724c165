package dev.semiactive.data;

import java.util.ArrayList;
import java.util.List;

/** Tile layout along one axis, and tile ids. */
public final class TileGrid {
    private TileGrid() {
    }

    /**
     * Start positions of tiles of size {@code tile} every {@code stride} pixels over {@code length}
     * pixels. The last tile is aligned to the far edge so every tile lies inside the image; a length
     * shorter than one tile gives the single position 0 (that tile is padded).
     */
    public static int[] positions(int length, int tile, int stride) {
        if (tile <= 0 || stride <= 0) throw new IllegalArgumentException("tile and stride must be positive");
        if (length <= tile) return new int[]{0};
        List<Integer> out = new ArrayList<>();
        int p = 0;
        for (; p + tile < length; p += stride) out.add(p);
        int last = length - tile;
        if (out.get(out.size() - 1) != last) out.add(last);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** "name@x_y", x and y being the tile's top-left corner at working resolution. */
    public static String tileId(String name, int x, int y) {
        return name + "@" + x + "_" + y;
    }

    /** The source name of a tile id ("a/b@16_0" -> "a/b"), or the id itself when it is not a tile id. */
    public static String sourceName(String id) {
        int at = id.lastIndexOf('@');
        return at < 0 ? id : id.substring(0, at);
    }
}
